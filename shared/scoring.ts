/**
 * Scoring: pure, no I/O. Rules are data from the site config; every score carries the rules that
 * fired as its reasons, and the reasons always sum to the score. The edge scores every submission;
 * the console can preview with the same code; the calibration tools fit the rules' points.
 *
 * How a score is made, in order:
 * 1. every rule whose conditions all hold fires with its points (× its `each` count, if any);
 *    engagement points decay with the site's half-life; points are rounded to whole numbers and
 *    bounded by the rule's own `cap`;
 * 2. group caps, then component weights, bound the *positive* points of their rules (penalties always
 *    apply): rules are taken in config order and the first ones keep their points, the one that
 *    crosses the cap is trimmed to what is left, later ones get nothing;
 * 3. the total is clamped to 0–100 the same way: over 100, the last positive reasons are trimmed;
 *    under 0, the last penalties are.
 * Reasons left with 0 points are dropped, so what a salesperson reads adds up to the score exactly.
 *
 * Beside it: the input a rule looks at and its mapping from a lead (scoring-input.ts), the rules a
 * new site starts with (scoring-defaults.ts), their schema (scoring-schema.ts), and the condition
 * language every rule is written in (rules.ts).
 */
import type { Reason, Stage, Temperature } from "./lead.ts";
import { type Condition, holds, toNumber } from "./rules.ts";
import {
  DEFAULT_HOT_INTENTS,
  DEFAULT_WARM_EVENTS,
  DEFAULT_WARM_INTENTS,
  DEFAULT_WEIGHTS,
} from "./scoring-defaults.ts";
import { type ScoringInput, signalOf } from "./scoring-input.ts";
import type { Component, Rule, ScoringConfig } from "./scoring-schema.ts";

// The engine's entry: the default rules and the input mapping live beside it, and are imported from
// here as well.
export {
  DEFAULT_HOT_INTENTS,
  DEFAULT_RULES,
  DEFAULT_SCORING,
  DEFAULT_WARM_EVENTS,
  DEFAULT_WARM_INTENTS,
  DEFAULT_WEIGHTS,
} from "./scoring-defaults.ts";
export {
  type EngagementEvent,
  emailDomainType,
  type ScoredLead,
  type ScoringInput,
  scoringInputFor,
  signalOf,
} from "./scoring-input.ts";

/** Each component 0–100: its points over its weight. */
export interface ComponentScores {
  fit: number;
  engagement: number;
  intent: number;
}

export interface ScoreResult {
  /** 0–100, whole; the sum of the reasons' points. */
  score: number;
  temperature: Temperature;
  stage: Stage;
  reasons: Reason[];
  components: ComponentScores;
}

/** Whether one condition holds for the input (the one evaluator, shared/rules.ts, on scoring's signals). */
export function matches(input: ScoringInput, condition: Condition): boolean {
  return holds(condition, (signal) => signalOf(input, signal));
}

export function fires(input: ScoringInput, rule: Rule): boolean {
  return rule.when.every((condition) => matches(input, condition));
}

const ENGAGEMENT_ROOTS = new Set([
  "engagement",
  "keyPages",
  "events",
  "lastActivity",
  "channel",
  "firstTouch",
  "lastTouch",
]);

/** The component a rule feeds: its own, or the one its first condition's signal belongs to. */
export function componentOf(rule: Rule): Component {
  if (rule.component) return rule.component;
  const root = rule.when[0]?.signal.split(".")[0] ?? "";
  if (root === "form") return "intent";
  return ENGAGEMENT_ROOTS.has(root) ? "engagement" : "fit";
}

/**
 * What the rule's `each` multiplies its points by: 1 without `each`, else the signal's number (0 when
 * missing, so the rule gives nothing).
 */
export function multiplier(input: ScoringInput, rule: Rule): number {
  if (rule.each === undefined) return 1;
  const n = toNumber(signalOf(input, rule.each));
  return n !== undefined && n > 0 ? n : 0;
}

const DAY_MS = 24 * 3600 * 1000;

/** When the lead last did something: the latest of its last activity, its events and its last touch. */
function latestActivity(input: ScoringInput): number {
  let latest = Number.NEGATIVE_INFINITY;
  const times = [input.lastActivity?.at, input.lastTouch?.at, ...(input.events ?? []).map((e) => e.at)];
  for (const at of times) {
    const t = at === undefined ? Number.NaN : Date.parse(at);
    if (t > latest) latest = t;
  }
  return latest;
}

/** Factor for engagement points: 1 at the latest activity, ½ one half-life later. */
export function decayFactor(input: ScoringInput, halfLifeDays: number | undefined): number {
  if (halfLifeDays === undefined || input.now === undefined) return 1;
  const ageDays = (Date.parse(input.now) - latestActivity(input)) / DAY_MS;
  return ageDays > 0 && Number.isFinite(ageDays) ? 0.5 ** (ageDays / halfLifeDays) : 1;
}

interface Fired extends Reason {
  component: Component;
  group?: string;
}

/** Bound the positive points of the items sharing a key, first come first served (see the top). */
function capPositive(
  items: Fired[],
  keyOf: (item: Fired) => string | undefined,
  caps: Record<string, number>,
) {
  const used = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined || item.points <= 0) continue;
    const cap = caps[key];
    if (cap === undefined) continue;
    const sofar = used.get(key) ?? 0;
    item.points = Math.min(item.points, Math.max(0, cap - sofar));
    used.set(key, sofar + item.points);
  }
}

/** Take `excess` points off the items of one sign, last item first. */
function trimFromEnd(items: Fired[], sign: 1 | -1, excess: number) {
  for (let i = items.length - 1; i >= 0 && excess > 0; i--) {
    const item = items[i] as Fired;
    if (Math.sign(item.points) !== sign) continue;
    const cut = Math.min(Math.abs(item.points), excess);
    item.points -= sign * cut;
    excess -= cut;
  }
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

const RANK: Record<Temperature, number> = { cold: 0, warm: 1, hot: 2 };

export function score(input: ScoringInput, config: ScoringConfig): ScoreResult {
  const decay = decayFactor(input, config.halfLifeDays);
  const items: Fired[] = [];
  for (const rule of config.rules) {
    if (!fires(input, rule)) continue;
    const n = multiplier(input, rule);
    const component = componentOf(rule);
    let points = rule.points * n * (component === "engagement" ? decay : 1);
    points = Math.round(points);
    if (rule.cap !== undefined) points = Math.max(-rule.cap, Math.min(rule.cap, points));
    if (points === 0) continue;
    const label = rule.each !== undefined && n !== 1 ? `${rule.label} ${formatCount(n)}×` : rule.label;
    items.push({ rule: rule.id, label, points, component, ...(rule.group ? { group: rule.group } : {}) });
  }

  const weights = config.weights ?? DEFAULT_WEIGHTS;
  capPositive(items, (item) => item.group, config.caps ?? {});
  capPositive(items, (item) => item.component, { ...weights });
  const total = items.reduce((sum, item) => sum + item.points, 0);
  if (total > 100) trimFromEnd(items, 1, total - 100);
  if (total < 0) trimFromEnd(items, -1, -total);

  const reasons: Reason[] = [];
  const byComponent: ComponentScores = { fit: 0, engagement: 0, intent: 0 };
  let value = 0;
  for (const item of items) {
    if (item.points === 0) continue;
    reasons.push({ rule: item.rule, label: item.label, points: item.points });
    byComponent[item.component] += item.points;
    value += item.points;
  }
  const components: ComponentScores = { fit: 0, engagement: 0, intent: 0 };
  for (const c of ["fit", "engagement", "intent"] as const) {
    const weight = weights[c];
    components[c] = weight > 0 ? Math.max(0, Math.min(100, Math.round((100 * byComponent[c]) / weight))) : 0;
  }

  const temperature = temperatureOf(input, value, config);
  const stage: Stage = value >= config.mqlThreshold ? "MQL" : "IQL";
  return { score: value, temperature, stage, reasons, components };
}

/**
 * Temperature is the hotter of what the visitor asked for and what the score says: hot for a hot
 * intent (demo, pricing, contact) or a score at the hot threshold; warm for a content intent, a
 * content event (download, webinar) or a score at the warm threshold; cold otherwise.
 */
export function temperatureOf(
  input: Pick<ScoringInput, "form" | "events">,
  value: number,
  config: Pick<ScoringConfig, "warmThreshold" | "hotThreshold" | "hotIntents" | "warmIntents" | "warmEvents">,
): Temperature {
  const byScore: Temperature =
    value >= config.hotThreshold ? "hot" : value >= config.warmThreshold ? "warm" : "cold";
  const intent = input.form.intent;
  const warmEvents = config.warmEvents ?? DEFAULT_WARM_EVENTS;
  const byIntent: Temperature = (config.hotIntents ?? DEFAULT_HOT_INTENTS).includes(intent)
    ? "hot"
    : (config.warmIntents ?? DEFAULT_WARM_INTENTS).includes(intent) ||
        (input.events ?? []).some((e) => warmEvents.includes(e.type))
      ? "warm"
      : "cold";
  return RANK[byIntent] > RANK[byScore] ? byIntent : byScore;
}

const STAGE_RANK: Record<Stage, number> = { IQL: 0, MQL: 1, PQL: 2, SQL: 3, customer: 4 };

/**
 * The stage after a (re)score. Scoring only ever promotes: IQL → MQL when the score passes the MQL
 * threshold, → PQL when the product says so; an MQL whose score decays stays an MQL (marketing
 * already handed it over), and SQL/customer are set by sales and never changed here.
 */
export function nextStage(
  current: Stage | undefined,
  result: Pick<ScoreResult, "stage">,
  pqlReached = false,
): Stage {
  let stage: Stage = current ?? "IQL";
  const candidates: Stage[] = [result.stage, ...(pqlReached ? (["PQL"] as const) : [])];
  for (const candidate of candidates) {
    if (STAGE_RANK[candidate] > STAGE_RANK[stage]) stage = candidate;
  }
  return stage;
}
