import { describe, expect, it } from "vitest";
import type { ScoringConfig } from "../../shared/scoring-schema.ts";
import { DEFAULT_RULES, emailDomainType, matches, type ScoringInput, score } from "../../shared/scoring.ts";

const config: ScoringConfig = { warmThreshold: 30, hotThreshold: 60, mqlThreshold: 50, rules: DEFAULT_RULES };
const touch = { landingPage: "https://site.test/", at: "2026-11-20T10:00:00.000Z" };

function input(overrides: Partial<ScoringInput> = {}): ScoringInput {
  return {
    form: { id: "newsletter", intent: "newsletter" },
    fields: {},
    email: { domain: "gmail.com", domainType: "free" },
    engagement: { activeTimeMs: 0, maxScrollPct: 0 },
    firstTouch: touch,
    lastTouch: touch,
    ...overrides,
  };
}

describe("score", () => {
  it("gives a newsletter sign-up from a free mailbox a low score, warm by intent, with its reason", () => {
    const result = score(input(), config);
    expect(result).toEqual({
      score: 15,
      temperature: "warm",
      stage: "IQL",
      reasons: [{ rule: "content-interest", label: "Asked for content", points: 15 }],
    });
  });

  it("makes a demo request hot by intent even with no engagement", () => {
    const result = score(input({ form: { id: "demo", intent: "demo" } }), config);
    expect(result.temperature).toBe("hot");
    expect(result.score).toBe(40);
    expect(result.stage).toBe("IQL");
  });

  it("adds fit and engagement: a company email, named company, long visit, deep scroll and return visit", () => {
    const result = score(
      input({
        fields: { company: "Acme" },
        email: { domain: "acme.com", domainType: "company" },
        engagement: { activeTimeMs: 120_000, maxScrollPct: 90, visits: 3 },
        lastTouch: { ...touch, utm_campaign: "launch" },
      }),
      config,
    );
    expect(result.reasons.map((r) => r.rule)).toEqual([
      "content-interest",
      "company-email",
      "named-company",
      "active-minute",
      "read-most",
      "returning",
      "from-campaign",
    ]);
    expect(result.score).toBe(15 + 15 + 10 + 10 + 5 + 10 + 5);
    expect(result.temperature).toBe("hot");
    expect(result.stage).toBe("MQL");
  });

  it("keeps reasons summing to the score while under 100, and clamps to 0–100", () => {
    const result = score(input({ email: { domain: "acme.com", domainType: "company" } }), config);
    expect(result.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(result.score);
    const big: ScoringConfig = {
      ...config,
      rules: [
        { id: "x", label: "x", points: 100, when: [{ signal: "form.intent", op: "exists" }] },
        { id: "y", label: "y", points: 100, when: [{ signal: "form.intent", op: "exists" }] },
      ],
    };
    expect(score(input(), big).score).toBe(100);
    const negative: ScoringConfig = {
      ...config,
      rules: [{ id: "n", label: "n", points: -50, when: [{ signal: "form.intent", op: "exists" }] }],
    };
    expect(score(input(), negative).score).toBe(0);
  });

  it("uses the site's thresholds", () => {
    const strict = { ...config, warmThreshold: 90, hotThreshold: 95, mqlThreshold: 99 };
    const result = score(
      input({ form: { id: "x", intent: "other" }, email: { domain: "a.com", domainType: "company" } }),
      strict,
    );
    expect(result).toMatchObject({ score: 15, temperature: "cold", stage: "IQL" });
  });
});

describe("conditions", () => {
  const i = input({
    fields: { company: "Acme Corp", role: "", subscribed: false },
    engagement: { activeTimeMs: 5000, maxScrollPct: 50 },
  });
  it.each([
    [{ signal: "fields.company", op: "exists" as const }, true],
    [{ signal: "fields.role", op: "exists" as const }, false],
    [{ signal: "fields.subscribed", op: "exists" as const }, false],
    [{ signal: "fields.missing", op: "exists" as const, value: false }, true],
    [{ signal: "fields.company", op: "contains" as const, value: "acme" }, true],
    [{ signal: "fields.company", op: "eq" as const, value: "Acme Corp" }, true],
    [{ signal: "form.intent", op: "in" as const, value: ["newsletter", "download"] }, true],
    [{ signal: "engagement.maxScrollPct", op: "gte" as const, value: 50 }, true],
    [{ signal: "engagement.maxScrollPct", op: "lte" as const, value: 49 }, false],
    [{ signal: "engagement.activeTimeMs.toString", op: "exists" as const }, false],
    [{ signal: "__proto__.polluted", op: "exists" as const }, false],
  ])("%o → %s", (condition, expected) => {
    expect(matches(i, condition)).toBe(expected);
  });
});

describe("emailDomainType", () => {
  it("tells free mailboxes from company domains", () => {
    expect(emailDomainType("gmail.com")).toBe("free");
    expect(emailDomainType("GMX.de")).toBe("free");
    expect(emailDomainType("acme.io")).toBe("company");
  });
});
