/**
 * The scoring part of a site's config: rules as data, edited by marketers, validated by zod.
 * Kept apart from config.ts so the scoring engine (scoring.ts) and its config evolve together.
 */
import * as z from "zod/mini";

const id = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "lower-case letters, digits, - and _"));

/** A condition on a scoring signal; all conditions of a rule must hold. */
export const ConditionSchema = z.object({
  /** Dotted path into the scoring input, e.g. `form.intent`, `fields.company`, `engagement.activeTimeMs`. */
  signal: z.string().check(z.maxLength(100)),
  op: z.enum(["eq", "in", "gte", "lte", "exists", "contains"]),
  value: z.optional(
    z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
  ),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const RuleSchema = z.object({
  id,
  /** Short reason a salesperson reads, e.g. "Asked to be contacted". */
  label: z.string().check(z.maxLength(120)),
  points: z.int().check(z.minimum(-100), z.maximum(100)),
  when: z.array(ConditionSchema).check(z.minLength(1)),
});
export type Rule = z.infer<typeof RuleSchema>;

export const ScoringSchema = z.object({
  /** Score at or above which a lead is warm. @default 30 */
  warmThreshold: z._default(z.int().check(z.minimum(0), z.maximum(100)), 30),
  /** Score at or above which a lead is hot. @default 60 */
  hotThreshold: z._default(z.int().check(z.minimum(0), z.maximum(100)), 60),
  /** Score at or above which a lead becomes an MQL. @default 50 */
  mqlThreshold: z._default(z.int().check(z.minimum(0), z.maximum(100)), 50),
  rules: z.array(RuleSchema),
});
export type ScoringConfig = z.infer<typeof ScoringSchema>;
export type ScoringConfigInput = z.input<typeof ScoringSchema>;
