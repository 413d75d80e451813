import type { Env } from "../env.ts";
import { D1LeadStore } from "./d1.ts";
import type { LeadStore } from "./port.ts";

/** The store for this request's environment. D1 is the embedded default. */
export function storeFor(env: Env): LeadStore {
  return new D1LeadStore(env.DB);
}
