/**
 * npm run eval:scoring -- <train.csv> <holdout.csv> [--hot-conversion 0.8] [--cold-conversion 0.05]
 *
 * Scores the X Education leads with the real engine: calibrates the candidate rules on the training
 * split only (points and thresholds), then reports on the holdout split the ROC AUC of the score and
 * the conversion and share of converters per temperature, for the calibrated rules and for the
 * default, uncalibrated ones. The last line is one JSON object for machines.
 */
import { readFileSync } from "node:fs";
import { type BucketStats, bucketReport, calibrate, rocAuc } from "../../shared/calibration.ts";
import { DEFAULT_SCORING, score } from "../../shared/scoring.ts";
import { type ScoringConfig, ScoringSchema } from "../../shared/scoring-schema.ts";
import { candidateRules, type Lead, readLeads } from "./x-education.ts";

export interface Evaluation {
  auc: number;
  buckets: Record<"hot" | "warm" | "cold", BucketStats>;
}

export function evaluate(leads: readonly Lead[], config: ScoringConfig): Evaluation {
  const results = leads.map((l) => score(l.input, config));
  const outcomes = leads.map((l) => l.converted);
  return {
    auc: rocAuc(
      results.map((r) => r.score),
      outcomes,
    ),
    buckets: bucketReport(
      ["hot", "warm", "cold"] as const,
      results.map((r) => r.temperature),
      outcomes,
    ),
  };
}

export interface EvalOptions {
  hotConversion?: number;
  coldConversion?: number;
}

/** The whole pipeline, as the test runs it: calibrate on `train`, evaluate on `holdout`. */
export function runEval(train: readonly Lead[], holdout: readonly Lead[], options: EvalOptions = {}) {
  const defaults = ScoringSchema.parse(DEFAULT_SCORING);
  const base: ScoringConfig = { ...defaults, rules: candidateRules(train) };
  const calibration = calibrate(
    train.map((l) => l.input),
    train.map((l) => l.converted),
    base,
    options,
  );
  return {
    calibration,
    calibrated: evaluate(holdout, calibration.config),
    defaults: evaluate(holdout, defaults),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function print(title: string, e: Evaluation) {
  console.log(`${title}: ROC AUC ${e.auc.toFixed(4)}`);
  for (const t of ["hot", "warm", "cold"] as const) {
    const b = e.buckets[t];
    console.log(
      `  ${t.padEnd(4)} ${String(b.leads).padStart(5)} leads (${pct(b.share).padStart(6)})  converts ${pct(b.conversion).padStart(6)}  holds ${pct(b.recall).padStart(6)} of converters`,
    );
  }
}

function option(args: string[], name: string): number | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = Number(args[at + 1]);
  if (!Number.isFinite(value)) throw new Error(`${name} needs a number`);
  args.splice(at, 2);
  return value;
}

function main(argv: string[]) {
  const args = [...argv];
  const usage =
    "usage: npm run eval:scoring -- <train.csv> <holdout.csv> [--hot-conversion 0.8] [--cold-conversion 0.05]";
  if (args.includes("--help") || args.includes("-h")) {
    console.log(usage);
    return;
  }
  const hotConversion = option(args, "--hot-conversion");
  const coldConversion = option(args, "--cold-conversion");
  const [trainPath, holdoutPath] = args;
  if (!trainPath || !holdoutPath) {
    console.error(usage);
    process.exit(2);
  }
  const train = readLeads(readFileSync(trainPath, "utf8"));
  const holdout = readLeads(readFileSync(holdoutPath, "utf8"));
  const started = performance.now();
  const { calibration, calibrated, defaults } = runEval(train, holdout, {
    ...(hotConversion !== undefined ? { hotConversion } : {}),
    ...(coldConversion !== undefined ? { coldConversion } : {}),
  });
  const { config } = calibration;
  console.log(`training split: ${train.length} leads; holdout split: ${holdout.length} leads`);
  console.log(
    `calibrated ${config.rules.length} rules in ${Math.round(performance.now() - started)} ms: L2 ${calibration.l2} (5-fold CV AUC ${calibration.crossValidation.map((c) => `${c.l2}→${c.auc.toFixed(4)}`).join(", ")}), ${calibration.pointsPerLogit.toFixed(1)} points per logit`,
  );
  console.log(
    `thresholds chosen on the training split: warm ${config.warmThreshold}, hot ${config.hotThreshold}, MQL ${config.mqlThreshold}; warm intents ${JSON.stringify(config.warmIntents)} (dropped ${JSON.stringify(calibration.droppedWarmIntents)})`,
  );
  print("training split, calibrated (out-of-fold scores)", {
    auc: calibration.training.outOfFoldAuc,
    buckets: calibration.training.buckets,
  });
  print("holdout, calibrated rules", calibrated);
  print("holdout, default rules", defaults);
  console.log(
    JSON.stringify({
      auc: round(calibrated.auc),
      default_auc: round(defaults.auc),
      hot_conversion: round(calibrated.buckets.hot.conversion),
      hot_recall: round(calibrated.buckets.hot.recall),
      hot_share: round(calibrated.buckets.hot.share),
      warm_conversion: round(calibrated.buckets.warm.conversion),
      cold_conversion: round(calibrated.buckets.cold.conversion),
      cold_recall: round(calibrated.buckets.cold.recall),
      cold_share: round(calibrated.buckets.cold.share),
      default_hot_conversion: round(defaults.buckets.hot.conversion),
      default_hot_recall: round(defaults.buckets.hot.recall),
      default_cold_conversion: round(defaults.buckets.cold.conversion),
      thresholds: { warm: config.warmThreshold, hot: config.hotThreshold, mql: config.mqlThreshold },
    }),
  );
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

if (import.meta.main) main(process.argv.slice(2));
