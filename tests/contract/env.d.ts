import type { D1Migration } from "cloudflare:test";
import type { Env as LeadcapEnv } from "../../edge/src/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends LeadcapEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The bridge of tests/contract/global-setup.ts (not the Worker's own UPSTASH_* variables). */
      CONTRACT_UPSTASH_URL: string;
      CONTRACT_UPSTASH_TOKEN: string;
    }
  }
}
