import fc from "fast-check";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  componentOf,
  decayFactor,
  matches,
  nextStage,
  type ScoreResult,
  score,
} from "../../shared/scoring.ts";
import { DEFAULT_RULES, DEFAULT_SCORING } from "../../shared/scoring-defaults.ts";
import { emailDomainType, type ScoringInput } from "../../shared/scoring-input.ts";
import type { Condition, Rule, ScoringConfig } from "../../shared/scoring-schema.ts";
import { ScoringSchema } from "../../shared/scoring-schema.ts";

const defaults = ScoringSchema.parse(DEFAULT_SCORING);
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

const always = (id: string, points: number, extra: Partial<Rule> = {}): Rule => ({
  id,
  label: id,
  points,
  when: [{ signal: "form.id", op: "exists" }],
  ...extra,
});

const bare = (rules: Rule[], extra: Partial<ScoringConfig> = {}): ScoringConfig => ({
  warmThreshold: 30,
  hotThreshold: 60,
  mqlThreshold: 50,
  rules,
  ...extra,
});

const sum = (r: ScoreResult) => r.reasons.reduce((total, reason) => total + reason.points, 0);

describe("score with the default rules", () => {
  it("gives a newsletter sign-up from a free mailbox a low score, warm by intent, with its reason", () => {
    expect(score(input(), defaults)).toEqual({
      score: 10,
      temperature: "warm",
      stage: "IQL",
      reasons: [{ rule: "newsletter", label: "Subscribed to the newsletter", points: 10 }],
      components: { fit: 0, engagement: 0, intent: 22 },
    });
  });

  it("makes a demo request hot by intent even with no engagement", () => {
    const result = score(input({ form: { id: "demo", intent: "demo" } }), defaults);
    expect(result).toMatchObject({ score: 45, temperature: "hot", stage: "IQL" });
    expect(result.reasons).toEqual([{ rule: "requested-demo", label: "Requested a demo", points: 45 }]);
  });

  it("adds fit and engagement, and reads like a salesperson's summary", () => {
    const result = score(
      input({
        form: { id: "contact", intent: "contact" },
        fields: { company: "Acme", role: "VP Marketing", timeline: "This quarter" },
        email: { domain: "acme.com", domainType: "company" },
        engagement: { activeTimeMs: 6 * 60_000, maxScrollPct: 90, visits: 3, pageViews: 4 },
        keyPages: { pricing: 3 },
        lastTouch: { ...touch, utm_campaign: "launch" },
      }),
      defaults,
    );
    expect(result.reasons.map((r) => `${r.label} +${r.points}`)).toEqual([
      "Asked to be contacted +40",
      "Uses a company email +15",
      "Named their company +5",
      "Decision maker +15",
      // Fit is capped at 40 points (its weight): the last fit reason is trimmed from 10 to 5, and
      // "Buying within a quarter" gets nothing.
      "Told us their role +5",
      "Visited pricing 3× +12",
      // 100 in total with this one: the later ones (visits, pages, reading, campaign) give way, so the
      // reasons still sum to the score.
      "Active over 5 minutes +8",
    ]);
    expect(result.score).toBe(100);
    expect(sum(result)).toBe(100);
    expect(result.components).toEqual({ fit: 100, engagement: 33, intent: 89 });
    expect(result).toMatchObject({ temperature: "hot", stage: "MQL" });
  });

  it("weighs sustained attention above many shallow visits, and no time for just filling in the form", () => {
    const download = { id: "guide", intent: "download" } as const;
    const engaged = score(
      input({
        form: download,
        engagement: { activeTimeMs: 12 * 60_000, maxScrollPct: 0, visits: 1, pageViews: 1 },
      }),
      defaults,
    );
    const skimmer = score(
      input({
        form: download,
        engagement: { activeTimeMs: 90_000, maxScrollPct: 0, visits: 6, pageViews: 4 },
      }),
      defaults,
    );
    expect(engaged.reasons.map((r) => `${r.label} +${r.points}`)).toEqual([
      "Downloaded content +15",
      "Active over 10 minutes +30",
    ]);
    expect(skimmer.reasons.map((r) => `${r.label} +${r.points}`)).toEqual([
      "Downloaded content +15",
      "Viewed 3+ pages +5",
      "Visited 5+ times +10",
    ]);
    expect(engaged.score).toBeGreaterThan(skimmer.score);
    expect(engaged.temperature).toBe("warm");
  });

  it("penalizes opt-outs, bounces and students, never below 0", () => {
    const result = score(
      input({
        form: { id: "x", intent: "other" },
        fields: { role: "Student" },
        consent: { email: false },
        events: [{ type: "email_bounced" }],
      }),
      defaults,
    );
    // +10 for the role answer, -10 for a student, and the rest of the penalties trimmed at 0.
    expect(result.score).toBe(0);
    expect(result.reasons.map((r) => [r.rule, r.points])).toEqual([
      ["told-role", 10],
      ["student", -10],
    ]);
    const some = score(
      input({
        form: { id: "demo", intent: "demo" },
        consent: { email: false },
        events: [{ type: "email_bounced" }],
      }),
      defaults,
    );
    expect(some.score).toBe(45 - 10 - 15);
    expect(sum(some)).toBe(some.score);
  });

  it("parses the old config shape unchanged", () => {
    const old = {
      warmThreshold: 30,
      hotThreshold: 60,
      mqlThreshold: 50,
      rules: [
        { id: "a", label: "A", points: 40, when: [{ signal: "form.intent", op: "in", value: ["demo"] }] },
      ],
    };
    const parsed = ScoringSchema.parse(old);
    expect(parsed).toEqual(old);
    expect(score(input({ form: { id: "d", intent: "demo" } }), parsed).score).toBe(40);
  });
});

describe("conditions", () => {
  const i = input({
    fields: { company: "Acme Corp", role: "", subscribed: false, employees: "250", title: "Head of Sales" },
    engagement: { activeTimeMs: 5000, maxScrollPct: 50 },
    channel: "paid_search",
    keyPages: { pricing: 2 },
    events: [{ type: "download" }, { type: "download" }, { type: "email_open" }],
  });
  it.each<[Condition, boolean]>([
    [{ signal: "fields.company", op: "exists" }, true],
    [{ signal: "fields.role", op: "exists" }, false],
    [{ signal: "fields.subscribed", op: "exists" }, false],
    [{ signal: "fields.missing", op: "exists", value: false }, true],
    [{ signal: "fields.company", op: "contains", value: "acme" }, true],
    [{ signal: "fields.title", op: "contains", value: ["vp", "head of"] }, true],
    [{ signal: "fields.title", op: "contains", value: ["vp", "chief"] }, false],
    [{ signal: "fields.company", op: "eq", value: "Acme Corp" }, true],
    [{ signal: "fields.company", op: "eq", value: " acme corp " }, true],
    [{ signal: "fields.company", op: "neq", value: "Acme Corp" }, false],
    [{ signal: "fields.missing", op: "neq", value: "x" }, true],
    [{ signal: "form.intent", op: "in", value: ["newsletter", "download"] }, true],
    [{ signal: "form.intent", op: "notIn", value: ["newsletter", "download"] }, false],
    [{ signal: "channel", op: "notIn", value: ["referral"] }, true],
    [{ signal: "engagement.maxScrollPct", op: "gte", value: 50 }, true],
    [{ signal: "engagement.maxScrollPct", op: "gt", value: 50 }, false],
    [{ signal: "engagement.maxScrollPct", op: "lte", value: 49 }, false],
    [{ signal: "engagement.maxScrollPct", op: "lt", value: 51 }, true],
    [{ signal: "engagement.maxScrollPct", op: "between", value: [50, 60] }, true],
    [{ signal: "engagement.maxScrollPct", op: "between", value: [40, 50] }, false],
    [{ signal: "fields.employees", op: "gte", value: 200 }, true],
    [{ signal: "fields.employees", op: "eq", value: 250 }, true],
    [{ signal: "fields.company", op: "gte", value: 1 }, false],
    [{ signal: "keyPages.pricing", op: "gte", value: 2 }, true],
    [{ signal: "events.download", op: "eq", value: 2 }, true],
    [{ signal: "events.webinar", op: "gte", value: 1 }, false],
    [{ signal: "events", op: "eq", value: 3 }, true],
    [{ signal: "engagement.activeTimeMs.toString", op: "exists" }, false],
    [{ signal: "__proto__.polluted", op: "exists" }, false],
    [{ signal: "constructor", op: "exists" }, false],
  ])("%o → %s", (condition, expected) => {
    expect(matches(i, condition)).toBe(expected);
  });

  it("rejects values that do not suit the operator", () => {
    const parse = (c: unknown) =>
      ScoringSchema.safeParse({ rules: [{ id: "r", label: "r", points: 1, when: [c] }] }).success;
    expect(parse({ signal: "a", op: "between", value: [10, 5] })).toBe(false);
    expect(parse({ signal: "a", op: "between", value: [5, 10] })).toBe(true);
    expect(parse({ signal: "a", op: "in", value: "x" })).toBe(false);
    expect(parse({ signal: "a", op: "gte" })).toBe(false);
    expect(parse({ signal: "a", op: "exists", value: "yes" })).toBe(false);
    expect(parse({ signal: "a", op: "contains", value: ["a", "b"] })).toBe(true);
  });
});

describe("components, caps and the reasons summing to the score", () => {
  it("infers each rule's component from its signal", () => {
    const rule = (signal: string): Rule => ({
      id: "r",
      label: "r",
      points: 1,
      when: [{ signal, op: "exists" }],
    });
    expect(componentOf(rule("form.intent"))).toBe("intent");
    expect(componentOf(rule("engagement.visits"))).toBe("engagement");
    expect(componentOf(rule("channel"))).toBe("engagement");
    expect(componentOf(rule("events.download"))).toBe("engagement");
    expect(componentOf(rule("fields.role"))).toBe("fit");
    expect(componentOf(rule("email.domainType"))).toBe("fit");
    expect(componentOf({ ...rule("events.email_bounced"), component: "fit" })).toBe("fit");
  });

  it("caps a group: the rule that crosses the cap is trimmed, later ones dropped", () => {
    const config = bare(
      [always("a", 10, { group: "g" }), always("b", 10, { group: "g" }), always("c", 10, { group: "g" })],
      {
        caps: { g: 15 },
      },
    );
    const result = score(input(), config);
    expect(result.reasons.map((r) => [r.rule, r.points])).toEqual([
      ["a", 10],
      ["b", 5],
    ]);
    expect(result.score).toBe(15);
  });

  it("caps positive points only: penalties in a capped group still apply", () => {
    const config = bare([always("a", 30, { group: "g" }), always("p", -10, { group: "g" })], {
      caps: { g: 20 },
    });
    expect(score(input(), config).score).toBe(10);
  });

  it("weights the components: each contributes at most its weight and reports 0–100", () => {
    const config = bare(
      [
        always("fit", 30, { component: "fit" }),
        always("eng", 30, { component: "engagement" }),
        always("int", 30, { component: "intent" }),
      ],
      { weights: { fit: 20, engagement: 60, intent: 30 } },
    );
    const result = score(input(), config);
    expect(result.score).toBe(20 + 30 + 30);
    expect(result.components).toEqual({ fit: 100, engagement: 50, intent: 100 });
  });

  it("multiplies by `each` and bounds by the rule's cap", () => {
    const rule: Rule = {
      id: "pricing",
      label: "Visited pricing",
      points: 4,
      each: "keyPages.pricing",
      cap: 12,
      when: [{ signal: "keyPages.pricing", op: "gte", value: 1 }],
    };
    const of = (n: number) => score(input({ keyPages: { pricing: n } }), bare([rule])).reasons;
    expect(of(1)).toEqual([{ rule: "pricing", label: "Visited pricing", points: 4 }]);
    expect(of(2)).toEqual([{ rule: "pricing", label: "Visited pricing 2×", points: 8 }]);
    expect(of(7)).toEqual([{ rule: "pricing", label: "Visited pricing 7×", points: 12 }]);
    expect(of(0)).toEqual([]);
  });

  it("clamps to 0–100 by trimming the last reasons of the overflowing sign", () => {
    const high = score(input(), bare([always("x", 100), always("y", 100)]));
    expect(high.score).toBe(100);
    expect(high.reasons).toEqual([{ rule: "x", label: "x", points: 100 }]);
    const low = score(input(), bare([always("p", 20), always("n1", -15), always("n2", -15)]));
    expect(low.score).toBe(0);
    expect(low.reasons.map((r) => r.points)).toEqual([20, -15, -5]);
  });

  it("keeps scores within 0–100, whole, with reasons summing to the score, for any rules and input", () => {
    const signals = [
      "form.intent",
      "fields.a",
      "engagement.visits",
      "keyPages.pricing",
      "events.download",
      "channel",
    ];
    const condition = fc.record({
      signal: fc.constantFrom(...signals),
      op: fc.constantFrom("exists", "gte", "lt", "eq", "contains"),
      n: fc.integer({ min: 0, max: 10 }),
    });
    const rule = fc.record({
      points: fc.integer({ min: -100, max: 100 }),
      conditions: fc.array(condition, { minLength: 1, maxLength: 2 }),
      group: fc.option(fc.constantFrom("g1", "g2"), { nil: undefined }),
      component: fc.option(fc.constantFrom("fit" as const, "engagement" as const, "intent" as const), {
        nil: undefined,
      }),
      each: fc.option(fc.constantFrom("keyPages.pricing", "events.download", "engagement.visits"), {
        nil: undefined,
      }),
      cap: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    });
    const configArb = fc.record({
      rules: fc.array(rule, { maxLength: 12 }),
      weights: fc.option(
        fc.record({
          fit: fc.integer({ min: 0, max: 100 }),
          engagement: fc.integer({ min: 0, max: 100 }),
          intent: fc.integer({ min: 0, max: 100 }),
        }),
        { nil: undefined },
      ),
      caps: fc.record({ g1: fc.integer({ min: 0, max: 100 }), g2: fc.integer({ min: 0, max: 100 }) }),
      halfLifeDays: fc.option(fc.double({ min: 0.5, max: 365, noNaN: true }), { nil: undefined }),
    });
    const inputArb = fc.record({
      intent: fc.constantFrom("demo" as const, "newsletter" as const, "other" as const),
      a: fc.oneof(fc.string({ maxLength: 5 }), fc.boolean()),
      visits: fc.integer({ min: 0, max: 20 }),
      pricing: fc.integer({ min: 0, max: 20 }),
      downloads: fc.integer({ min: 0, max: 4 }),
      ageDays: fc.integer({ min: 0, max: 400 }),
    });
    fc.assert(
      fc.property(configArb, inputArb, (c, v) => {
        const config: ScoringConfig = bare(
          c.rules.map((r, k) => ({
            id: `r${k}`,
            label: `r${k}`,
            points: r.points,
            when: r.conditions.map(({ signal, op, n }) =>
              op === "exists"
                ? { signal, op }
                : op === "eq" || op === "contains"
                  ? { signal, op, value: op === "eq" ? n : "a" }
                  : { signal, op, value: n },
            ),
            ...(r.group ? { group: r.group } : {}),
            ...(r.component ? { component: r.component } : {}),
            ...(r.each ? { each: r.each } : {}),
            ...(r.cap !== undefined ? { cap: r.cap } : {}),
          })),
          {
            caps: c.caps,
            ...(c.weights ? { weights: c.weights } : {}),
            ...(c.halfLifeDays ? { halfLifeDays: c.halfLifeDays } : {}),
          },
        );
        expect(ScoringSchema.safeParse(config).success).toBe(true);
        const result = score(
          input({
            form: { id: "f", intent: v.intent },
            fields: { a: v.a },
            engagement: { activeTimeMs: 0, maxScrollPct: 0, visits: v.visits },
            keyPages: { pricing: v.pricing },
            events: Array.from({ length: v.downloads }, () => ({ type: "download", at: touch.at })),
            now: new Date(Date.parse(touch.at) + v.ageDays * 86_400_000).toISOString(),
          }),
          config,
        );
        expect(Number.isInteger(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(sum(result)).toBe(result.score);
        expect(result.reasons.every((r) => r.points !== 0 && Number.isInteger(r.points))).toBe(true);
        for (const value of Object.values(result.components)) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});

describe("decay", () => {
  const engaged = (now?: string) =>
    input({
      engagement: { activeTimeMs: 0, maxScrollPct: 0, visits: 5 },
      lastActivity: { type: "page_view", at: "2026-11-01T00:00:00.000Z" },
      lastTouch: { ...touch, at: "2026-10-01T00:00:00.000Z" },
      ...(now ? { now } : {}),
    });
  const config = bare(
    [
      {
        id: "visits",
        label: "Visited 5+ times",
        points: 40,
        when: [{ signal: "engagement.visits", op: "gte", value: 5 }],
      },
      {
        id: "company",
        label: "Fit",
        points: 20,
        when: [{ signal: "form.id", op: "exists" }],
        component: "fit",
      },
    ],
    { halfLifeDays: 30 },
  );

  it("halves engagement points every half-life from the latest activity, and leaves fit alone", () => {
    expect(score(engaged("2026-11-01T00:00:00.000Z"), config).score).toBe(60);
    expect(score(engaged("2026-12-01T00:00:00.000Z"), config).reasons).toEqual([
      { rule: "visits", label: "Visited 5+ times", points: 20 },
      { rule: "company", label: "Fit", points: 20 },
    ]);
    expect(score(engaged("2026-12-31T00:00:00.000Z"), config).score).toBe(10 + 20);
    // Rounded to whole points; a rule decayed to nothing disappears from the reasons.
    expect(score(engaged("2027-11-01T00:00:00.000Z"), config).reasons.map((r) => r.rule)).toEqual([
      "company",
    ]);
  });

  it("does not decay without a half-life, without `now`, or for activity in the future", () => {
    expect(decayFactor(engaged("2027-01-01T00:00:00.000Z"), undefined)).toBe(1);
    expect(decayFactor(engaged(), 30)).toBe(1);
    expect(decayFactor(engaged("2026-10-15T00:00:00.000Z"), 30)).toBe(1);
    expect(decayFactor(engaged("2026-11-16T00:00:00.000Z"), 30)).toBeCloseTo(Math.SQRT1_2, 10);
  });
});

describe("temperature and stage", () => {
  it("uses the site's thresholds", () => {
    const strict = { ...defaults, warmThreshold: 90, hotThreshold: 95, mqlThreshold: 99 };
    const result = score(
      input({ form: { id: "x", intent: "other" }, email: { domain: "a.com", domainType: "company" } }),
      strict,
    );
    expect(result).toMatchObject({ score: 15, temperature: "cold", stage: "IQL" });
  });

  it("is hot by hot intent or hot score, warm by content intent, content event or warm score", () => {
    const config = bare([always("p", 35)], { warmThreshold: 30, hotThreshold: 60 });
    const t = (overrides: Partial<ScoringInput>, c: ScoringConfig = config) =>
      score(input(overrides), c).temperature;
    expect(t({ form: { id: "f", intent: "pricing" } })).toBe("hot");
    expect(t({ form: { id: "f", intent: "other" } })).toBe("warm");
    expect(t({ form: { id: "f", intent: "other" } }, bare([always("p", 65)]))).toBe("hot");
    expect(t({ form: { id: "f", intent: "other" } }, bare([]))).toBe("cold");
    expect(t({ form: { id: "f", intent: "webinar" } }, bare([]))).toBe("warm");
    expect(t({ form: { id: "f", intent: "other" }, events: [{ type: "download" }] }, bare([]))).toBe("warm");
    // The site chooses which intents count.
    expect(t({ form: { id: "f", intent: "demo" } }, bare([], { hotIntents: [] }))).toBe("cold");
    expect(t({ form: { id: "f", intent: "webinar" } }, bare([], { warmIntents: [] }))).toBe("cold");
    expect(t({ form: { id: "f", intent: "other" } }, bare([], { warmIntents: ["other"] }))).toBe("warm");
  });

  it("is MQL from the MQL threshold on", () => {
    expect(score(input(), bare([always("p", 49)])).stage).toBe("IQL");
    expect(score(input(), bare([always("p", 50)])).stage).toBe("MQL");
  });

  it("only ever promotes: IQL → MQL → PQL; SQL and customer are never changed by scoring", () => {
    const mql = { stage: "MQL" as const };
    const iql = { stage: "IQL" as const };
    expect(nextStage(undefined, iql)).toBe("IQL");
    expect(nextStage("IQL", mql)).toBe("MQL");
    expect(nextStage("MQL", iql)).toBe("MQL");
    expect(nextStage("IQL", iql, true)).toBe("PQL");
    expect(nextStage("PQL", mql)).toBe("PQL");
    expect(nextStage("SQL", iql, true)).toBe("SQL");
    expect(nextStage("customer", mql, true)).toBe("customer");
  });
});

describe("emailDomainType", () => {
  it("tells free mailboxes from company domains", () => {
    expect(emailDomainType("gmail.com")).toBe("free");
    expect(emailDomainType("GMX.de")).toBe("free");
    expect(emailDomainType("acme.io")).toBe("company");
  });
});

describe("types", () => {
  it("keeps the result's promised shape", () => {
    expectTypeOf(score).returns.toMatchTypeOf<{
      score: number;
      temperature: "cold" | "warm" | "hot";
      stage: "IQL" | "MQL" | "SQL" | "PQL" | "customer";
      reasons: { rule: string; label: string; points: number }[];
      components: { fit: number; engagement: number; intent: number };
    }>();
    expect(DEFAULT_RULES.length).toBeGreaterThan(0);
  });
});
