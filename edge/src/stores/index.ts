import type { Env } from "../env.ts";
import { D1LeadStore } from "./d1.ts";
import { D1DeliveryStore } from "./d1-delivery.ts";
import type { DeliveryStore } from "./delivery-port.ts";
import type { LeadStore } from "./port.ts";

/** The store for this request's environment. D1 is the embedded default. */
export function storeFor(env: Env): LeadStore {
  return new D1LeadStore(env.DB);
}

/** The outbox, as the delivery side sees it. */
export function deliveryStoreFor(env: Env): DeliveryStore {
  return new D1DeliveryStore(env.DB);
}
