import type { D1Migration } from "cloudflare:test";
import type { Env as LeadcapEnv } from "../../edge/src/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends LeadcapEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The private half of the Access stand-in's key (tests/edge/access-certs.ts), a JWK as JSON. */
      ACCESS_TEST_PRIVATE_JWK: string;
    }
  }
}
