import type { D1Migration } from "cloudflare:test";
import type { Env as LeadcapEnv } from "../../edge/src/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends LeadcapEnv {
      TEST_MIGRATIONS: D1Migration[];
    }
  }
}
