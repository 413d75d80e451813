import { describe, expect, it } from "vitest";
import {
  ChannelConditionSchema,
  ChannelRuleSchema,
  channelOf,
  conditionHolds,
} from "../../shared/channels.ts";
import { FormSchema } from "../../shared/config.ts";
import { routeConditions } from "../../shared/destinations.ts";
import {
  allHold,
  type Condition,
  ConditionSchema,
  holds,
  isRegExp,
  MATCHES_FLAGS,
  OPERATORS,
  PATTERN_FLAGS,
  readPath,
  VALUE_KINDS,
} from "../../shared/rules.ts";
import type { Touch } from "../../shared/signals.ts";

const from = (input: Record<string, unknown>) => (signal: string) => readPath(input, signal);

describe("the one evaluator", () => {
  const read = from({
    role: " Head of Sales ",
    seats: "250",
    size: 40,
    topics: ["pricing", "API"],
    none: [],
    blank: "  ",
    news: false,
    medium: "CPC",
  });

  it.each<[Condition, boolean]>([
    [{ signal: "role", op: "eq", value: "head of sales" }, true],
    [{ signal: "role", op: "contains", value: "HEAD" }, true],
    [{ signal: "seats", op: "gte", value: 100 }, true],
    [{ signal: "seats", op: "eq", value: 250 }, true],
    [{ signal: "size", op: "between", value: [40, 50] }, true],
    [{ signal: "size", op: "between", value: [30, 40] }, false],
    // Several values: any of them.
    [{ signal: "topics", op: "eq", value: "api" }, true],
    [{ signal: "topics", op: "in", value: ["billing", "pricing"] }, true],
    // The negations are "none of them".
    [{ signal: "topics", op: "neq", value: "api" }, false],
    [{ signal: "topics", op: "notIn", value: ["billing"] }, true],
    [{ signal: "topics", op: "exists" }, true],
    [{ signal: "none", op: "exists" }, false],
    [{ signal: "none", op: "missing" }, true],
    [{ signal: "blank", op: "exists" }, false],
    [{ signal: "news", op: "exists", value: false }, true],
    [{ signal: "absent", op: "missing" }, true],
    [{ signal: "absent", op: "neq", value: "x" }, true],
    // Case-insensitive regular expressions, on the trimmed text.
    [{ signal: "medium", op: "matches", value: "^(cpc|ppc)$" }, true],
    [{ signal: "role", op: "matches", value: "^head" }, true],
    [{ signal: "absent", op: "matches", value: ".*" }, false],
    [{ signal: "medium", op: "matches", value: "([" }, false],
  ])("%o → %s", (condition, expected) => {
    expect(holds(condition, read)).toBe(expected);
  });

  it("holds all conditions of a list, and an empty list always", () => {
    expect(allHold([], read)).toBe(true);
    expect(
      allHold(
        [
          { signal: "medium", op: "eq", value: "cpc" },
          { signal: "size", op: "lt", value: 41 },
        ],
        read,
      ),
    ).toBe(true);
    expect(
      allHold(
        [
          { signal: "medium", op: "eq", value: "cpc" },
          { signal: "size", op: "gt", value: 41 },
        ],
        read,
      ),
    ).toBe(false);
  });

  it("reads own properties only", () => {
    expect(readPath({ a: { b: 1 } }, "a.b")).toBe(1);
    expect(readPath({}, "constructor")).toBeUndefined();
    expect(readPath({ a: "x" }, "a.length")).toBeUndefined();
  });
});

describe("the condition schema and its metadata", () => {
  it("describes every operator's value", () => {
    expect(Object.keys(VALUE_KINDS).sort()).toEqual([...OPERATORS].sort());
    expect(VALUE_KINDS.in).toBe("list");
    expect(VALUE_KINDS.gte).toBe("number");
    expect(VALUE_KINDS.missing).toBe("none");
  });

  it("refuses values that do not suit the operator", () => {
    const ok = (c: unknown) => ConditionSchema.safeParse(c).success;
    expect(ok({ signal: "a", op: "matches", value: "^(a|b)$" })).toBe(true);
    expect(ok({ signal: "a", op: "matches", value: "([" })).toBe(false);
    expect(ok({ signal: "a", op: "missing" })).toBe(true);
    expect(ok({ signal: "a", op: "missing", value: "x" })).toBe(false);
    expect(ok({ signal: "a", op: "in", value: [true, "yes"] })).toBe(true);
    expect(ok({ signal: "a", op: "nope", value: 1 })).toBe(false);
  });

  it("checks regular expressions with the flags each one is run with", () => {
    // Fine without `u` (a rule's `matches`), an error in Unicode mode (a field's `pattern`).
    expect(isRegExp("[a\\-z]", MATCHES_FLAGS)).toBe(true);
    expect(isRegExp("\\-", PATTERN_FLAGS)).toBe(false);
    const form = (pattern: string) =>
      FormSchema.safeParse({
        id: "f",
        title: "F",
        intent: "contact",
        fields: [
          { name: "email", type: "email", required: true },
          { name: "code", type: "text", pattern },
        ],
      }).success;
    expect(form("[A-Z]{3}")).toBe(true);
    expect(form("\\-")).toBe(false);
  });
});

describe("channel conditions", () => {
  const touch = (query: string, referrer?: string): Touch => {
    const url = new URL(`https://site.test/${query}`);
    const t: Touch = { landingPage: url.href, at: "2026-11-20T10:00:00.000Z" };
    for (const [k, v] of url.searchParams) (t as unknown as Record<string, string>)[k] = v;
    return referrer ? { ...t, referrer } : t;
  };

  it("reads the first shape (`on`) as `signal`, dropping the value exists and missing ignored", () => {
    expect(ChannelConditionSchema.parse({ on: "utm_medium", op: "eq", value: "cpc" })).toEqual({
      signal: "utm_medium",
      op: "eq",
      value: "cpc",
    });
    expect(ChannelConditionSchema.parse({ on: "utm_source", op: "missing", value: "" })).toEqual({
      signal: "utm_source",
      op: "missing",
    });
    expect(ChannelConditionSchema.safeParse({ on: "utm_source", op: "matches", value: "([" }).success).toBe(
      false,
    );
    expect(ChannelConditionSchema.safeParse({ on: "fields.x", op: "eq", value: "a" }).success).toBe(false);
    expect(ChannelConditionSchema.safeParse({ signal: "fields.x", op: "eq", value: "a" }).success).toBe(
      false,
    );
  });

  it("means the same in either shape, and takes every operator in the current one", () => {
    const t = touch("?utm_source=Partner-Acme&utm_medium=referral");
    expect(conditionHolds(t, { on: "utm_source", op: "matches", value: "^partner-" })).toBe(true);
    expect(conditionHolds(t, { signal: "utm_source", op: "matches", value: "^partner-" })).toBe(true);
    expect(conditionHolds(t, { signal: "utm_source", op: "contains", value: "acme" })).toBe(true);
    expect(conditionHolds(t, { signal: "utm_campaign", op: "missing" })).toBe(true);
    const rule = ChannelRuleSchema.parse({
      channel: "partner",
      when: [
        { on: "utm_source", op: "matches", value: "^partner-" },
        { signal: "utm_medium", op: "neq", value: "cpc" },
      ],
    });
    expect(channelOf(t, [rule])).toBe("partner");
    expect(channelOf(touch("?utm_source=partner-x&utm_medium=cpc"), [rule])).toBe("other");
  });
});

describe("routing's shorthand, compiled to conditions", () => {
  it("compiles each key to `in` its list, the score range to gte/lte, then the route's conditions", () => {
    expect(
      routeConditions({
        temperature: "hot",
        score: { min: 40, max: 60 },
        utm: { utm_source: ["acme"] },
        fields: { country: ["DE", "AT"] },
        conditions: [{ signal: "fields.employees", op: "gte", value: 500 }],
      }),
    ).toEqual([
      { signal: "temperature", op: "in", value: ["hot"] },
      { signal: "score", op: "gte", value: 40 },
      { signal: "score", op: "lte", value: 60 },
      { signal: "lastTouch.utm_source", op: "in", value: ["acme"] },
      { signal: "fields.country", op: "in", value: ["DE", "AT"] },
      { signal: "fields.employees", op: "gte", value: 500 },
    ]);
  });
});
