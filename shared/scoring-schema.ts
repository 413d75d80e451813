/**
 * The scoring part of a site's config: rules as data, edited by marketers, validated by zod.
 * Kept apart from config.ts so the scoring engine (scoring.ts) and its config evolve together.
 *
 * Every property added after the first version is optional, and the engine supplies its default:
 * a config written for the first engine (`{ warmThreshold, hotThreshold, mqlThreshold, rules }`)
 * parses and scores exactly as before.
 */
import * as z from "zod/mini";
import { ConditionSchema } from "./rules.ts";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"));
const name = z.string().check(z.maxLength(64));

// Conditions are the one condition language's (shared/rules.ts); re-exported for the console.
export { type Condition, ConditionSchema, OPERATORS, type Operator } from "./rules.ts";

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
