/**
 * The wiring: which store serves this environment. The ports are one per capability (ports/*.ts);
 * each store is an adapter folder with a file per port (d1/, the embedded default; upstash/). Every
 * port of a request comes from the same store, so what it writes commits together.
 */
import type { Env } from "../env.ts";
import { D1AuditStore } from "./d1/audit.ts";
import { D1CaptureStore } from "./d1/capture.ts";
import { D1SiteConfigStore } from "./d1/config.ts";
import { D1DeliveryStore } from "./d1/delivery.ts";
import { d1LeadStore } from "./d1/index.ts";
import { D1PeopleStore } from "./d1/people.ts";
import { D1SiteRemoval } from "./d1/site-removal.ts";
import { StoreUnavailableError } from "./errors.ts";
import type { AuditStore } from "./ports/audit.ts";
import type { CaptureStore } from "./ports/capture.ts";
import type { SiteConfigStore } from "./ports/config.ts";
import type { DeliveryStore } from "./ports/delivery.ts";
import type { LeadStore } from "./ports/index.ts";
import type { PeopleStore } from "./ports/people.ts";
import type { SiteRemovalStore } from "./ports/site-removal.ts";
import { UpstashAuditStore } from "./upstash/audit.ts";
import { UpstashCaptureStore } from "./upstash/capture.ts";
import { UpstashSiteConfigStore } from "./upstash/config.ts";
import { UpstashDeliveryStore } from "./upstash/delivery.ts";
import { upstashLeadStore } from "./upstash/index.ts";
import { UpstashPeopleStore } from "./upstash/people.ts";
import { UpstashRest } from "./upstash/rest.ts";
import { UpstashSiteRemoval } from "./upstash/site-removal.ts";

export type { LeadStore } from "./ports/index.ts";

/**
 * Whether this build carries the Upstash adapter. wrangler.toml defines LEADCAP_UPSTASH as false, so
 * the default (D1) Worker ships without it (~17 KB gzip less to upload and start);
 * `npm run deploy:upstash` and local runs with LEADCAP_STORE=upstash build with
 * `--define LEADCAP_UPSTASH:true`. Bundles made without the define (the workerd tests) carry both.
 */
declare const LEADCAP_UPSTASH: boolean | undefined;

export const UPSTASH_NOT_BUILT =
  "UPSTASH_REDIS_REST_URL is set but this Worker was built without the Upstash store: deploy with `npm run deploy:upstash`, or remove the Upstash secrets to use D1";
let reported = false;

/**
 * Why this Worker cannot reach its store, if it cannot: Upstash secrets on a build without the
 * Upstash adapter (`/v1/health` answers 503 with it; `npm run deploy` refuses to make such a build).
 */
export function storeMisconfiguration(env: Env): string | null {
  const set = !!env.UPSTASH_REDIS_REST_URL && !!env.UPSTASH_REDIS_REST_TOKEN;
  return set && !(typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) ? UPSTASH_NOT_BUILT : null;
}

/** Upstash's REST URL and token, when both are set (the names Upstash's own tools use). */
export function upstashCredentials(env: Env): { url: string; token: string } | null {
  const problem = storeMisconfiguration(env);
  if (problem) {
    // Credentials for a store this build cannot reach: refuse (503, the widget keeps the lead and
    // retries) rather than fall back to D1 and split the leads between two stores.
    if (!reported) console.error(`[leadcap] ${problem}`);
    reported = true;
    throw new StoreUnavailableError(problem);
  }
  const url = env.UPSTASH_REDIS_REST_URL;
  const token = env.UPSTASH_REDIS_REST_TOKEN;
  return typeof url === "string" && url && typeof token === "string" && token ? { url, token } : null;
}

/**
 * The store for this request's environment: Upstash Redis when UPSTASH_REDIS_REST_URL and
 * UPSTASH_REDIS_REST_TOKEN are set, else D1, the embedded default. The Upstash adapter speaks the REST
 * API through a slim client (upstash/rest.ts), the Worker bundle's budget being what it is.
 */
// Each store below tests the define itself (the bundler drops the Upstash adapter only from a branch
// whose condition is the define, not from one behind a constant holding it).
export function storeFor(env: Env): LeadStore {
  const upstash = upstashCredentials(env);
  if ((typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) && upstash)
    return upstashLeadStore(new UpstashRest(upstash));
  return d1LeadStore(env.DB);
}

/** The outbox, as the delivery side sees it: in the same store as the leads, so they commit together. */
export function deliveryStoreFor(env: Env): DeliveryStore {
  const upstash = upstashCredentials(env);
  if ((typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) && upstash)
    return new UpstashDeliveryStore(new UpstashRest(upstash));
  return new D1DeliveryStore(env.DB);
}

/** Saved site configurations: in the same store as the leads. */
export function configStoreFor(env: Env): SiteConfigStore {
  const upstash = upstashCredentials(env);
  if ((typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) && upstash)
    return new UpstashSiteConfigStore(new UpstashRest(upstash));
  return new D1SiteConfigStore(env.DB);
}

/** Capture health counters (refused and repaired submissions): in the same store as the leads. */
export function captureStoreFor(env: Env): CaptureStore {
  const upstash = upstashCredentials(env);
  if ((typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) && upstash)
    return new UpstashCaptureStore(new UpstashRest(upstash));
  return new D1CaptureStore(env.DB);
}

/** API tokens and members: in the same store as the leads. */
export function peopleStoreFor(env: Env): PeopleStore {
  const upstash = upstashCredentials(env);
  if ((typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) && upstash)
    return new UpstashPeopleStore(new UpstashRest(upstash));
  return new D1PeopleStore(env.DB);
}

/** The audit log: in the same store as the leads. */
export function auditStoreFor(env: Env): AuditStore {
  const upstash = upstashCredentials(env);
  if ((typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) && upstash)
    return new UpstashAuditStore(new UpstashRest(upstash));
  return new D1AuditStore(env.DB);
}

/** Deleting a site and everything stored for it: in the same store as the leads. */
export function siteRemovalFor(env: Env): SiteRemovalStore {
  const upstash = upstashCredentials(env);
  if ((typeof LEADCAP_UPSTASH === "undefined" || LEADCAP_UPSTASH) && upstash)
    return new UpstashSiteRemoval(new UpstashRest(upstash));
  return new D1SiteRemoval(env.DB);
}
