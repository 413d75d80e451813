/**
 * Calibration: fit the points of a rule set to real outcomes, and report how well the score ranks.
 * Pure TypeScript, no I/O, no native code. Not imported by the engine (scoring.ts): it runs in the
 * calibrate/eval tools and the admin API. The statistics it uses (logistic fit, AUC, Wilson bounds,
 * folds) are general and live in ./stats.ts.
 *
 * The model is an L2-regularized logistic regression on the rules as features (a rule's feature is
 * its `each` multiplier when it fires, else 0), fitted by Newton's method. Its coefficients become
 * the rules' points, scaled to the 0–100 score: the score the engine computes is then a rounded,
 * clamped affine function of the model's log-odds, so it ranks leads the way the model does.
 */

import {
  DEFAULT_WARM_INTENTS,
  fires,
  multiplier,
  type ScoringInput,
  score,
  temperatureOf,
} from "./scoring.ts";
import type { Rule, ScoringConfig } from "./scoring-schema.ts";
import {
  type BucketStats,
  bucketReport,
  crossValidateL2,
  fitLogistic,
  folds,
  type LogisticFit,
  logit,
  type Outcome,
  quantile,
  rocAuc,
  wilsonBound,
} from "./stats.ts";

// What callers of calibration read in its results and reports: from here, as before the split.
export type { BucketStats, Outcome } from "./stats.ts";
export { bucketReport, rocAuc } from "./stats.ts";

export interface ThresholdTargets {
  /** The hot bucket should convert at least this often. @default 0.8 */
  hotConversion?: number;
  /** The cold bucket should convert at most this often. @default 0.05 */
  coldConversion?: number;
  /**
   * How sure to be: the bucket's conversion must meet the target at this one-sided Wilson confidence
   * bound (z), not just on average, so the target still holds on new leads. 0 compares the plain
   * rates. @default 1.645 (95%)
   */
  confidence?: number;
}

export interface Thresholds {
  warmThreshold: number;
  hotThreshold: number;
  mqlThreshold: number;
}

/**
 * Pick the site's thresholds from scored leads with known outcomes:
 * - hot: the lowest threshold whose hot bucket (leads hot by intent included) converts at the target
 *   (at the confidence bound), i.e. the most converters in hot at that conversion (100 if none does);
 * - warm: the highest threshold whose cold bucket (leads warm or hot by intent excluded) still
 *   converts at most at the cold target (at the confidence bound), i.e. the largest cold bucket that
 *   is safe to leave alone;
 * - MQL: the threshold that best separates converters from the rest (Youden's J), between the two.
 */
export function chooseThresholds(
  scores: ArrayLike<number>,
  outcomes: ArrayLike<Outcome>,
  floors: ArrayLike<"cold" | "warm" | "hot">,
  targets: ThresholdTargets = {},
): Thresholds {
  const hotTarget = targets.hotConversion ?? 0.8;
  const coldTarget = targets.coldConversion ?? 0.05;
  const z = targets.confidence ?? 1.645;
  const n = scores.length;
  const rate = (select: (i: number) => boolean) => {
    let leads = 0;
    let converted = 0;
    for (let i = 0; i < n; i++) {
      if (!select(i)) continue;
      leads++;
      if (outcomes[i]) converted++;
    }
    return { leads, low: wilsonBound(converted, leads, z, -1), high: wilsonBound(converted, leads, z, 1) };
  };
  let hotThreshold = 100;
  for (let t = 0; t <= 100; t++) {
    const hot = rate((i) => floors[i] === "hot" || (scores[i] as number) >= t);
    if (hot.leads > 0 && hot.low >= hotTarget) {
      hotThreshold = t;
      break;
    }
  }
  let warmThreshold = 0;
  for (let t = hotThreshold; t >= 0; t--) {
    const cold = rate((i) => floors[i] === "cold" && (scores[i] as number) < t);
    if (cold.high <= coldTarget) {
      warmThreshold = t;
      break;
    }
  }
  let positives = 0;
  for (let i = 0; i < n; i++) if (outcomes[i]) positives++;
  const negatives = n - positives;
  let mqlThreshold = warmThreshold;
  let best = Number.NEGATIVE_INFINITY;
  for (let t = warmThreshold; t <= hotThreshold; t++) {
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < n; i++) {
      if ((scores[i] as number) < t) continue;
      if (outcomes[i]) tp++;
      else fp++;
    }
    const j = (positives ? tp / positives : 0) - (negatives ? fp / negatives : 0);
    if (j > best) {
      best = j;
      mqlThreshold = t;
    }
  }
  return { warmThreshold, hotThreshold, mqlThreshold };
}

/** Each rule as a feature of each lead: its multiplier when it fires, else 0. */
export function ruleFeatures(inputs: readonly ScoringInput[], rules: readonly Rule[]): number[][] {
  return inputs.map((input) => rules.map((rule) => (fires(input, rule) ? multiplier(input, rule) : 0)));
}

export interface CalibrationOptions extends ThresholdTargets {
  /** L2 penalty; when absent, chosen by 5-fold cross-validation among `penalties`. */
  l2?: number;
  /** @default [0.3, 1, 3, 10, 30] */
  penalties?: readonly number[];
  /**
   * The quantile of training leads' model scores that maps to a score of 100; leads above it tie at
   * 100 (they are the surest converters). @default 0.99
   */
  topQuantile?: number;
  /** Seed of the cross-validation folds. @default 1 */
  seed?: number;
}

export interface RuleChange {
  rule: string;
  label: string;
  /** How many training leads it fires for; 0: no evidence, the rule keeps its points. */
  fired: number;
  /** Conversion rate of those leads. */
  conversion: number;
  coefficient: number;
  before: number;
  after: number;
}

export interface CalibrationResult {
  /** The proposed config: the base config with fitted points and chosen thresholds. */
  config: ScoringConfig;
  l2: number;
  crossValidation: { l2: number; auc: number }[];
  /** Points per unit of log-odds. */
  pointsPerLogit: number;
  /** Warm intents the proposal stops treating as warm: their leads under the warm threshold convert like cold ones. */
  droppedWarmIntents: string[];
  rules: RuleChange[];
  /**
   * On the calibration data: the model's in-sample AUC, and the AUC and buckets of the engine's
   * out-of-fold scores (what the thresholds were chosen on).
   */
  training: { modelAuc: number; outOfFoldAuc: number; buckets: Record<"hot" | "warm" | "cold", BucketStats> };
}

/**
 * Groups whose rules fire for exactly one lead each in the data ("one of these bins"): adding the same
 * number to all their points changes every lead's score equally, so each such group is shifted to
 * make its lowest points 0. Scores then start at 0 without negative points.
 */
function exhaustiveGroups(rules: readonly Rule[], rows: number[][]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  rules.forEach((rule, j) => {
    if (rule.group) groups.set(rule.group, [...(groups.get(rule.group) ?? []), j]);
  });
  for (const [group, members] of groups) {
    const exclusive = rows.every((row) => members.filter((j) => row[j] !== 0).length === 1);
    const binary = rows.every((row) => members.every((j) => row[j] === 0 || row[j] === 1));
    if (!exclusive || !binary) groups.delete(group);
  }
  return groups;
}

/** Mid-range thresholds, replaced by `chooseThresholds` once the new points score the data. */
const PROVISIONAL = { warmThreshold: 30, hotThreshold: 60, mqlThreshold: 50 };

/** Points from a fit: exhaustive groups shifted to start at 0, then scaled to the 0–100 score. */
function toPoints(
  fit: LogisticFit,
  rules: readonly Rule[],
  rows: number[][],
  topQuantile: number,
): { points: number[]; pointsPerLogit: number } {
  const shifted = [...fit.weights];
  for (const members of exhaustiveGroups(rules, rows).values()) {
    const min = Math.min(...members.map((j) => fit.weights[j] as number));
    for (const j of members) shifted[j] = (fit.weights[j] as number) - min;
  }
  const raw = rows.map((row) => row.reduce((sum, v, j) => sum + v * (shifted[j] as number), 0));
  const top = quantile(raw, topQuantile);
  const pointsPerLogit = top > 0 ? 100 / top : 10;
  const points = shifted.map((w) => Math.max(-100, Math.min(100, Math.round(w * pointsPerLogit))));
  return { points, pointsPerLogit };
}

/**
 * The base config with new points. The fitted points already are the weights, so component weights
 * and caps (group and per-rule), which would cut them, are turned off.
 */
function withPoints(base: ScoringConfig, points: readonly number[]): ScoringConfig {
  return {
    ...base,
    ...PROVISIONAL,
    rules: base.rules.map((rule, j) => {
      const { cap: _cap, ...rest } = rule;
      return { ...rest, points: points[j] as number };
    }),
    weights: { fit: 100, engagement: 100, intent: 100 },
    caps: {},
  };
}

/**
 * Fit the points of `base.rules` to outcomes, and choose thresholds for the targets.
 *
 * Thresholds are chosen on out-of-fold scores: each fold is scored by the engine with points fitted
 * on the other folds, so the buckets' conversion rates are what new leads will show, not the
 * optimistic in-sample ones.
 */
export function calibrate(
  inputs: readonly ScoringInput[],
  outcomes: readonly Outcome[],
  base: ScoringConfig,
  options: CalibrationOptions = {},
): CalibrationResult {
  const rules = base.rules;
  const rows = ruleFeatures(inputs, rules);
  const topQuantile = options.topQuantile ?? 0.99;
  const seed = options.seed ?? 1;
  const penalties = options.penalties ?? [0.3, 1, 3, 10, 30];
  const crossValidation = options.l2 === undefined ? crossValidateL2(rows, outcomes, penalties, 5, seed) : [];
  const l2 =
    options.l2 ??
    crossValidation.reduce((best, c) => (c.auc > best.auc ? c : best), {
      l2: 1,
      auc: Number.NEGATIVE_INFINITY,
    }).l2;
  const fit = fitLogistic(rows, outcomes, { l2 });
  // A rule no lead with an outcome matched has no evidence either way: it keeps its points rather
  // than the 0 the fit would give it (a site's outcomes rarely cover every form and rule).
  const unseen = rules.map((_, j) => rows.every((row) => row[j] === 0));
  const keepUnseen = (fitted: readonly number[]) =>
    fitted.map((p, j) => (unseen[j] ? Math.max(-100, Math.min(100, (rules[j] as Rule).points)) : p));
  const fitted = toPoints(fit, rules, rows, topQuantile);
  const points = keepUnseen(fitted.points);
  const { pointsPerLogit } = fitted;
  const provisional = withPoints(base, points);

  const outOfFold = new Float64Array(inputs.length);
  for (const test of folds(inputs.length, 5, seed)) {
    const held = new Set(test);
    const train = rows.flatMap((_, i) => (held.has(i) ? [] : [i]));
    const trainRows = train.map((i) => rows[i] as number[]);
    const foldFit = fitLogistic(
      trainRows,
      train.map((i) => outcomes[i] as Outcome),
      { l2 },
    );
    const foldConfig = withPoints(base, keepUnseen(toPoints(foldFit, rules, trainRows, topQuantile).points));
    for (const i of test) outOfFold[i] = score(inputs[i] as ScoringInput, foldConfig).score;
  }
  const { thresholds, warmIntents, droppedWarmIntents } = thresholdsAndFloors(
    inputs,
    outcomes,
    outOfFold,
    provisional,
    options,
  );
  const config: ScoringConfig = { ...provisional, ...thresholds, warmIntents };
  const temperatures = inputs.map((input, i) => temperatureOf(input, outOfFold[i] as number, config));

  return {
    config,
    l2,
    crossValidation,
    pointsPerLogit,
    droppedWarmIntents,
    rules: rules.map((rule, j) => {
      let fired = 0;
      let converted = 0;
      rows.forEach((row, i) => {
        if (row[j] === 0) return;
        fired++;
        if (outcomes[i]) converted++;
      });
      return {
        rule: rule.id,
        label: rule.label,
        fired,
        conversion: fired ? converted / fired : 0,
        coefficient: fit.weights[j] as number,
        before: rule.points,
        after: points[j] as number,
      };
    }),
    training: {
      modelAuc: rocAuc(
        rows.map((row) => logit(fit, row)),
        outcomes,
      ),
      outOfFoldAuc: rocAuc(outOfFold, outcomes),
      buckets: bucketReport(["hot", "warm", "cold"] as const, temperatures, outcomes),
    },
  };
}

/**
 * Thresholds, and which content intents still make a lead warm whatever its score. A warm intent is
 * a promise that its leads are worth nurturing. When, without that floor, the thresholds leave more
 * leads safely cold (the cold bucket still meets its target at the confidence bound), some of its
 * leads are demonstrably cold: the proposal drops the intent from `warmIntents` (greedily, one at a
 * time). Hot intents stay: sales answers every demo request, whatever the data says about it.
 */
function thresholdsAndFloors(
  inputs: readonly ScoringInput[],
  outcomes: readonly Outcome[],
  scores: ArrayLike<number>,
  config: ScoringConfig,
  targets: ThresholdTargets,
): { thresholds: Thresholds; warmIntents: string[]; droppedWarmIntents: string[] } {
  const evaluate = (warmIntents: string[]) => {
    const current = { ...config, warmIntents };
    const floors = inputs.map((input) => intentFloor(input, current));
    const thresholds = chooseThresholds(scores, outcomes, floors, targets);
    let cold = 0;
    for (let i = 0; i < inputs.length; i++) {
      if (floors[i] === "cold" && (scores[i] as number) < thresholds.warmThreshold) cold++;
    }
    return { thresholds, cold, warmIntents };
  };
  let best = evaluate([...(config.warmIntents ?? DEFAULT_WARM_INTENTS)]);
  const dropped: string[] = [];
  for (;;) {
    const tries = best.warmIntents.map((intent) => ({
      intent,
      result: evaluate(best.warmIntents.filter((w) => w !== intent)),
    }));
    const better = tries.reduce<(typeof tries)[number] | undefined>(
      (top, t) => (t.result.cold > (top?.result.cold ?? best.cold) ? t : top),
      undefined,
    );
    if (!better) break;
    dropped.push(better.intent);
    best = better.result;
  }
  return { thresholds: best.thresholds, warmIntents: best.warmIntents, droppedWarmIntents: dropped };
}

/** The temperature a lead has whatever its score (from its intent and content events). */
export function intentFloor(input: ScoringInput, config: ScoringConfig): "cold" | "warm" | "hot" {
  return temperatureOf(input, 0, {
    ...config,
    warmThreshold: Number.POSITIVE_INFINITY,
    hotThreshold: Number.POSITIVE_INFINITY,
  });
}

/** What a marketer (and the console) reads next to a proposal: the data, the fit, the buckets, the rules. */
export function calibrationReport(result: CalibrationResult, outcomes: readonly Outcome[]) {
  const { config, training } = result;
  return {
    leads: outcomes.length,
    converted: outcomes.filter(Boolean).length,
    l2: result.l2,
    crossValidation: result.crossValidation,
    rocAuc: { model: training.modelAuc, scoreOutOfFold: training.outOfFoldAuc },
    thresholds: { warm: config.warmThreshold, hot: config.hotThreshold, mql: config.mqlThreshold },
    droppedWarmIntents: result.droppedWarmIntents,
    buckets: training.buckets,
    rules: result.rules,
  };
}
export type CalibrationReport = ReturnType<typeof calibrationReport>;
