import type { SiteRoles } from "../../shared/api/roles.ts";
import type { DeliveryMessage } from "./delivery.ts";

/**
 * The Worker's bindings and variables. Declared here rather than taken from `wrangler types` so the
 * secrets (which live in .dev.vars locally and in Worker secrets in production) are typed on a fresh
 * clone too.
 */
export interface Env {
  DB: D1Database;
  DELIVERY: Queue<DeliveryMessage>;
  ASSETS?: Fetcher;
  /** Bearer token for the admin API. */
  ADMIN_TOKEN?: string;
  /** Master secret from which each site's dedupe HMAC key is derived. */
  LEADCAP_SECRET?: string;
  /** Site-scoped admin tokens, JSON `{ "<token>": ["site", …] | "*" }` (each at least 16 characters). */
  ADMIN_TOKENS?: string;
  /**
   * Cloudflare Access: the team domain (`<team>.cloudflareaccess.com`). With ACCESS_AUD, a request
   * carrying Access's JWT (Cf-Access-Jwt-Assertion, or the CF_Authorization cookie) signs in as the
   * member with its email (pipeline/access.ts).
   */
  ACCESS_TEAM_DOMAIN?: string;
  /** Cloudflare Access: the application's audience tag (AUD), the JWT's required audience. */
  ACCESS_AUD?: string;
  /**
   * Tests only: where the Access signing keys are read instead of `https://<team>/cdn-cgi/access/certs`
   * (a loopback server with a locally generated key set). Never set it in production.
   */
  ACCESS_CERTS_URL?: string;
  /** Where Turnstile tokens are verified. @default Cloudflare's siteverify endpoint */
  TURNSTILE_VERIFY_URL?: string;
  /** More sites, as a JSON array of site configs (shared/config.ts SiteSchema). */
  LEADCAP_SITES?: string;
  /** Origins (space or comma separated) allowed to call the admin API from a browser (the console). */
  ADMIN_ORIGINS?: string;
  /**
   * Retry delays in seconds after each failed delivery attempt, comma separated; after the last,
   * a delivery is dead-lettered. Tests compress it to seconds.
   * @default "5,300,1800,7200,18000,36000,50400,72000,86400"
   */
  RETRY_SCHEDULE?: string;
  /** "production" (wrangler.toml) or "development" / "test" (local runs): guards outgoing requests. */
  ENVIRONMENT?: string;
  /** "true" lets destinations reach private, loopback and link-local addresses (local runs and tests only). */
  ALLOW_PRIVATE_DESTINATIONS?: string;
  /** How long a queued delivery may take to arrive before the sweep re-enqueues it. @default 120 */
  DELIVERY_LEASE_SECONDS?: string;
  /** A destination failing this long is paused with the reason. @default 72 */
  DESTINATION_PAUSE_AFTER_HOURS?: string;
  /** "false" sends every delivery through the queue instead of attempting the first one at once. */
  DELIVERY_FAST_PATH?: string;
  /**
   * The path prefix of a Workers route that serves Leadcap first-party on a customer's domain (route
   * `example.com/lc/*` → `"/lc"`): a request under it is answered as if the prefix were not there
   * (edge/src/index.ts). Not needed behind a reverse proxy that strips the prefix.
   * @default "" (no prefix)
   */
  PUBLIC_PATH?: string;
  /** Any other variable, referenced from site configs as `${NAME}`. */
  [name: string]: unknown;
}

/** Who a request to the admin API acts as (pipeline/auth.ts), and its role per site. */
export interface Principal {
  kind: "bootstrap" | "token" | "member";
  /** The member's email, the API token's name, or `bootstrap` (ADMIN_TOKEN): the audit log's "who". */
  name: string;
  roles: SiteRoles;
  /** As the config history records the author (a token variable's fingerprint, as before). */
  actor: string;
  /** An API token's id (the store's), so it can tell itself apart. */
  tokenId?: string;
}

export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** Set by requireAdmin: who the request acts as. */
    principal?: Principal;
    /** Set by authorize (pipeline/roles.ts): the route's operation in the role table. */
    operation?: string;
    /** The sites an audited change concerned (set by assertSiteAccess, or the route). */
    auditSites?: string[];
    /** What an audited change acted on, in the route's words (else its path). */
    auditTarget?: string;
    /** Set by requireAdmin: the sites the request's principal has a role on. */
    adminScope?: "*" | ReadonlySet<string>;
    /** Set by requireAdmin: who is acting, as the config history records it (a token fingerprint). */
    adminActor?: string;
    /**
     * Set by the public write routes (/v1/leads, /v1/events) as soon as they know the site the body
     * names, so capture health (edge/src/pipeline/capture.ts) can count a refusal against it.
     */
    site?: string;
    /** Set by /v1/leads when it accepted a lead after repairing or dropping malformed signals. */
    repairs?: number;
  };
};
