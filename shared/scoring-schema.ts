/**
 * The scoring part of a site's config: rules as data, edited by marketers, validated by zod.
 * Kept apart from config.ts so the scoring engine (scoring.ts) and its config evolve together.
 *
 * Every property added after the first version is optional, and the engine supplies its default:
 * a config written for the first engine (`{ warmThreshold, hotThreshold, mqlThreshold, rules }`)
 * parses and scores exactly as before.
 */
import * as z from "zod/mini";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"));
const name = z.string().check(z.maxLength(64));

/**
 * Condition operators. Text comparisons (`eq`, `neq`, `in`, `notIn`, `contains`) ignore case and
 * surrounding spaces, as a marketer typing "VP" expects it to match "vp ". Number comparisons accept
 * numeric text too, so a form answer "250" passes `gte 100`.
 */
export const OPERATORS = [
  "eq",
  "neq",
  "in",
  "notIn",
  /** Text contains the value, or any of a list of values: `["vp", "head", "chief"]`. */
  "contains",
  "gte",
  "gt",
  "lte",
  "lt",
  /** `value: [min, max]`: min ≤ x < max, so consecutive bins never overlap. */
  "between",
  /** Present (not empty text, not an unticked box); `value: false` tests absence. */
  "exists",
] as const;
export type Operator = (typeof OPERATORS)[number];

const scalar = z.union([z.string().check(z.maxLength(200)), z.number(), z.boolean()]);

/** Catches the marketer's typo at save time rather than a rule that silently never fires. */
function valueSuitsOperator(c: { op: Operator; value?: unknown }): boolean {
  const { op, value } = c;
  switch (op) {
    case "between":
      return (
        Array.isArray(value) &&
        value.length === 2 &&
        typeof value[0] === "number" &&
        typeof value[1] === "number" &&
        value[0] < value[1]
      );
    case "in":
    case "notIn":
      return Array.isArray(value);
    case "contains":
      return typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
    case "exists":
      return value === undefined || typeof value === "boolean";
    default:
      return value !== undefined && !Array.isArray(value);
  }
}

/** A condition on a scoring signal; all conditions of a rule must hold. */
export const ConditionSchema = z
  .object({
    /**
     * Dotted path into the scoring input, e.g. `form.intent`, `fields.company`, `engagement.activeTimeMs`,
     * `channel`, `keyPages.pricing`, `events.download` (the number of such events), `lastActivity.type`.
     */
    signal: z.string().check(z.maxLength(100)),
    op: z.enum(OPERATORS),
    value: z.optional(
      z.union([
        scalar,
        z.array(z.union([z.string().check(z.maxLength(200)), z.number()])).check(z.maxLength(200)),
      ]),
    ),
  })
  .check(
    z.refine(
      valueSuitsOperator,
      "value must suit the operator: [min, max] for between, a list for in/notIn, text or a list for contains, one value otherwise",
    ),
  );
export type Condition = z.infer<typeof ConditionSchema>;

export const COMPONENTS = ["fit", "engagement", "intent"] as const;
export type Component = (typeof COMPONENTS)[number];

export const RuleSchema = z.object({
  id,
  /** Short reason a salesperson reads, e.g. "Requested a demo". */
  label: z.string().check(z.maxLength(120)),
  /** Points when the rule fires (per unit when `each` is set). Negative points are penalties. */
  points: z.int().check(z.minimum(-100), z.maximum(100)),
  when: z.array(ConditionSchema).check(z.minLength(1)),
  /**
   * Which part of the score the rule feeds. @default inferred from the first condition's signal:
   * `form.*` → intent; `engagement.*`, `keyPages.*`, `events.*`, `lastActivity.*`, `channel`,
   * `firstTouch.*`, `lastTouch.*` → engagement; anything else (fields, email, consent) → fit.
   */
  component: z.optional(z.enum(COMPONENTS)),
  /** Rules sharing a group share the group's cap (`caps[group]`), e.g. all "visits" tiers. */
  group: z.optional(id),
  /**
   * A numeric signal the points are multiplied by, e.g. `keyPages.pricing` with 4 points: "Visited
   * pricing 3× +12". Use `cap` to bound it.
   */
  each: z.optional(z.string().check(z.maxLength(100))),
  /** The most (absolute) points this one rule may give. */
  cap: z.optional(z.int().check(z.minimum(0), z.maximum(100))),
});
export type Rule = z.infer<typeof RuleSchema>;

const threshold = (fallback: number) => z._default(z.int().check(z.minimum(0), z.maximum(100)), fallback);

export const ScoringSchema = z.object({
  /** Score at or above which a lead is warm. @default 30 */
  warmThreshold: threshold(30),
  /** Score at or above which a lead is hot. @default 60 */
  hotThreshold: threshold(60),
  /** Score at or above which a lead becomes an MQL. @default 50 */
  mqlThreshold: threshold(50),
  rules: z.array(RuleSchema).check(z.maxLength(500)),
  /**
   * The most points each component may add to the score: the components' weights. A component's own
   * 0–100 value is its points over its weight. @default { fit: 100, engagement: 100, intent: 100 }
   */
  weights: z.optional(
    z.object({
      fit: z.int().check(z.minimum(0), z.maximum(100)),
      engagement: z.int().check(z.minimum(0), z.maximum(100)),
      intent: z.int().check(z.minimum(0), z.maximum(100)),
    }),
  ),
  /** The most points a group of rules may add, by group id, e.g. `{ visits: 15 }`. @default {} */
  caps: z.optional(z.record(id, z.int().check(z.minimum(0), z.maximum(100)))),
  /**
   * Half-life of engagement points, in days, counted from the lead's latest activity to the time of
   * scoring (`input.now`). @default none (engagement never decays)
   */
  halfLifeDays: z.optional(z.number().check(z.positive(), z.maximum(3650))),
  /** Form intents that make a lead hot whatever its score. @default ["demo", "pricing", "contact"] */
  hotIntents: z.optional(z.array(name).check(z.maxLength(50))),
  /**
   * Form intents that make a lead at least warm (asked for content).
   * @default ["webinar", "download", "newsletter", "trial"]
   */
  warmIntents: z.optional(z.array(name).check(z.maxLength(50))),
  /** Engagement events that make a lead at least warm (engaged with content). @default ["download", "webinar"] */
  warmEvents: z.optional(z.array(name).check(z.maxLength(50))),
  /**
   * The PQL rule: a lead becomes product qualified when all these conditions hold, typically on
   * product events reported through the admin API (`events.project_created` gte 3). @default none
   */
  pqlWhen: z.optional(z.array(ConditionSchema).check(z.minLength(1), z.maxLength(20))),
});
export type ScoringConfig = z.infer<typeof ScoringSchema>;
export type ScoringConfigInput = z.input<typeof ScoringSchema>;
