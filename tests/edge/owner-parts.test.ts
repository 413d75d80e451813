/**
 * In a config, where leads go (destinations), the site's name and whether it takes leads are the
 * owner's: an editor saves forms, channels, scoring and routing, but a save or rollback that would
 * change one of those is refused (403, naming them), and nothing is saved.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Role } from "../../shared/api/roles.ts";
import { type SiteConfig, SiteSchema } from "../../shared/config.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { ALLOWED_ORIGIN, adminHeaders, EDGE, send, unique } from "./helpers.ts";

async function tokenFor(role: Role, site: string): Promise<Record<string, string>> {
  const res = await send("POST", "/v1/admin/tokens", { name: unique(`${role}-`), role, sites: [site] });
  expect(res.status).toBe(201);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

describe("the owner's parts of a config", () => {
  it("refuses an editor's change to destinations, the name or the pause; saves the rest; an owner may", async () => {
    const id = unique("owned-");
    const config: SiteConfig = {
      ...SiteSchema.parse(demoSite),
      id,
      name: `Owned ${id}`,
      allowedOrigins: [ALLOWED_ORIGIN],
      destinations: [],
      routing: undefined,
    };
    expect((await send("POST", "/v1/admin/sites", { config, note: "first" })).status).toBe(201);
    const editor = await tokenFor("editor", id);
    const owner = await tokenFor("owner", id);
    const put = (next: SiteConfig, baseVersion: number, headers: Record<string, string>) =>
      send("PUT", `/v1/admin/sites/${id}/config`, { config: next, baseVersion }, headers);

    const scoring = { ...config.scoring, hotThreshold: 81 };
    expect((await put({ ...config, scoring }, 1, editor)).status).toBe(200);

    const hook = {
      id: "hook",
      type: "webhook",
      url: "https://hooks.example.com/leads",
      secret: "${HOOK_SECRET}",
    };
    for (const [change, part] of [
      [{ name: "Renamed by an editor" }, "name"],
      [{ disabled: true }, "disabled"],
      [{ destinations: [hook] }, "destinations"],
    ] as const) {
      const res = await put({ ...config, scoring, ...change } as SiteConfig, 2, editor);
      expect(res.status, part).toBe(403);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe("forbidden");
      expect(Object.keys(error.fields ?? {})).toEqual([part]);
    }
    // Nothing was saved by the refused attempts: version 2 is still the editor's scoring change.
    const served = (await (
      await exports.default.fetch(
        new Request(`${EDGE}/v1/admin/sites/${id}/config`, { headers: adminHeaders }),
      )
    ).json()) as { version: number; config: SiteConfig };
    expect(served.version).toBe(2);
    expect(served.config.name).toBe(config.name);

    expect((await put({ ...config, scoring, name: "Renamed by the owner" }, 2, owner)).status).toBe(200);
  });
});
