/**
 * Routing's `when`, compiled to the one rule language (shared/rules.ts) and read from the lead: a
 * submission (no event yet) is both events it may become, a multi-answer field matches by any answer.
 */
import { describe, expect, it } from "vitest";
import { routeMatches, routingInput } from "../../edge/src/routing.ts";
import { SiteSchema } from "../../shared/config.ts";
import { leadFor, siteWith } from "./delivery-support.ts";

const site = SiteSchema.parse(siteWith("routed", [], undefined));
const lead = leadFor(site.id, {
  temperature: "hot",
  stage: "MQL",
  score: 50,
  fields: { email: "ann@acme.test", topics: ["api", "pricing"] },
});

describe("routing conditions", () => {
  it("routes a submission by routes for lead.created or lead.merged, an event by its own", () => {
    const submission = routingInput(site, lead, undefined);
    expect(routeMatches({ event: "lead.merged" }, submission)).toBe(true);
    expect(routeMatches({ event: "lead.created" }, submission)).toBe(true);
    expect(routeMatches({ event: "lead.updated" }, submission)).toBe(false);
    expect(routeMatches({ event: "lead.merged" }, routingInput(site, lead, "lead.created"))).toBe(false);
  });

  it("matches a multi-answer field by any answer, ignoring case, and the score range inclusively", () => {
    const input = routingInput(site, lead, "lead.created");
    expect(routeMatches({ fields: { topics: "PRICING" } }, input)).toBe(true);
    expect(routeMatches({ fields: { topics: ["billing"] } }, input)).toBe(false);
    expect(routeMatches({ score: { min: 50, max: 50 }, stage: ["MQL", "SQL"] }, input)).toBe(true);
    expect(routeMatches({ score: { min: 51 } }, input)).toBe(false);
    expect(
      routeMatches({ conditions: [{ signal: "fields.topics", op: "notIn", value: ["api"] }] }, input),
    ).toBe(false);
    expect(routeMatches(undefined, input)).toBe(true);
  });
});
