/** The role table's pure helpers: which role holds on a site, and what a role allows. */
import { describe, expect, it } from "vitest";
import { allows, allowsSomewhere, OPERATIONS, roleOn } from "../../shared/api/roles.ts";

describe("roleOn", () => {
  it("takes the site's own role before the one for every site", () => {
    expect(roleOn({ "*": "analyst", demo: "owner" }, "demo")).toBe("owner");
    expect(roleOn({ "*": "analyst", demo: "owner" }, "other")).toBe("analyst");
    expect(roleOn({ demo: "editor" }, "other")).toBeUndefined();
  });

  it("does not read inherited properties as sites", () => {
    expect(roleOn({}, "constructor")).toBeUndefined();
    expect(roleOn({}, "__proto__")).toBeUndefined();
  });
});

describe("allows", () => {
  it("gives owners everything, and nobody an operation the table does not name", () => {
    for (const op of Object.keys(OPERATIONS)) expect(allows("owner", op)).toBe(true);
    expect(allows("owner", "GET /not-a-route")).toBe(false);
    expect(allows(undefined, "GET /me")).toBe(false);
  });

  it("lets a CRM write back stages, outcomes and events, and nothing else but /me", () => {
    const crm = Object.keys(OPERATIONS).filter((op) => allows("crm", op));
    expect(crm.sort()).toEqual([
      "GET /me",
      "POST /leads/:id/events",
      "POST /leads/:id/stage",
      "POST /outcomes",
    ]);
  });

  it("lets an analyst read and export, never change", () => {
    const analyst = Object.keys(OPERATIONS).filter((op) => allows("analyst", op));
    expect(analyst.every((op) => op.startsWith("GET "))).toBe(true);
    expect(analyst).toContain("GET /leads.csv");
    expect(analyst).not.toContain("GET /sites/:site/audit");
  });

  it("keeps members, tokens, destinations and erasure for owners", () => {
    for (const op of [
      "POST /tokens",
      "PUT /members/:email",
      "DELETE /people/:email",
      "POST /destinations/:id/pause",
    ])
      expect(allows("editor", op)).toBe(false);
    expect(allows("editor", "POST /deliveries/:id/replay")).toBe(true);
    expect(allowsSomewhere({ demo: "analyst", other: "editor" }, "PUT /sites/:site/config")).toBe(true);
    expect(allowsSomewhere({ demo: "analyst" }, "PUT /sites/:site/config")).toBe(false);
  });
});
