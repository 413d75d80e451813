/**
 * Data-subject requests: export and erase everything stored about a person (by email, per site).
 * Mounted inside the admin app, so the token and its site scope apply. The address is only used to
 * derive the dedupe key; the erasure record keeps no address.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import type { SiteConfig } from "../../../shared/config.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { ulid } from "../ids.ts";
import { canonicalEmail } from "../pipeline/contact.ts";
import { dedupeKey, normalizeEmail } from "../pipeline/identity.ts";
import { siteFromQuery } from "../pipeline/site-query.ts";
import { storeFor } from "../stores/index.ts";

export const peopleAdmin = new Hono<AppEnv>();

async function person(c: Context<AppEnv>): Promise<{ site: SiteConfig; key: string }> {
  const site = siteFromQuery(c);
  const email = normalizeEmail(c.req.param("email") ?? "");
  if (!email.includes("@"))
    throw new ApiError("invalid_request", "That is not an email address.", { fields: { email: "Invalid." } });
  return { site, key: await dedupeKey(c.env.LEADCAP_SECRET, site.id, canonicalEmail(email, site.identity)) };
}

peopleAdmin.get("/people/:email/export", async (c) => {
  const { site, key } = await person(c);
  const data = await storeFor(c.env).exportPerson(site.id, key);
  if (!data) throw new ApiError("not_found", "Nothing is stored about this person on this site.");
  c.set("auditTarget", `export of ${data.lead.id}`);
  c.header("Content-Disposition", `attachment; filename="leadcap-export-${data.lead.id}.json"`);
  return c.json({ site: site.id, exportedAt: new Date().toISOString(), ...data });
});

peopleAdmin.delete("/people/:email", async (c) => {
  const { site, key } = await person(c);
  const receipt = await storeFor(c.env).erasePerson(site.id, key, {
    id: `erasure_${ulid()}`,
    at: new Date().toISOString(),
  });
  if (!receipt) throw new ApiError("not_found", "Nothing is stored about this person on this site.");
  // The audit log names the receipt, never the address.
  c.set("auditTarget", `erasure ${receipt.id}`);
  return c.json(receipt);
});
