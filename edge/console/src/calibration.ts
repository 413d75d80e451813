/**
 * Calibration proposals, as the Scoring screen shows them: the targets typed as percentages, the
 * edge's report made readable (buckets, thresholds, each rule's points before → after), the changes
 * the proposal would make to the saved scoring, and the note of the version it becomes. Pure: no DOM,
 * no fetch (tested in tests/widget/console-calibration.test.tsx).
 */
import type { BucketStats, CalibrationReport } from "../../../shared/calibration.ts";
import type { ScoringConfig, ScoringConfigInput } from "../../../shared/scoring-schema.ts";
import { type Change, jsonDiff } from "./config-diff.ts";

/** The edge's answer to `POST /v1/admin/sites/:site/calibration`. Nothing is saved by it. */
export interface Proposal {
  site: string;
  /** The config version the proposal was fitted on. */
  baseVersion: number;
  scoring: ScoringConfig;
  /** NaN AUCs (one class missing) arrive as null through JSON. */
  report: CalibrationReport;
}

export interface TargetsBody {
  hotConversion?: number;
  coldConversion?: number;
}

/**
 * The request body from the target inputs, typed as percentages ("80" → 0.8; empty: the edge's
 * default), with a message per input it cannot send.
 */
export function targetsBody(text: { hot: string; cold: string }): {
  body: TargetsBody;
  errors: { hot?: string; cold?: string };
} {
  const body: TargetsBody = {};
  const errors: { hot?: string; cold?: string } = {};
  const read = (value: string, key: "hot" | "cold") => {
    const t = value.trim().replace(/%$/, "").trim();
    if (t === "") return undefined;
    const n = Number(t);
    if (!Number.isFinite(n) || n <= 0 || n >= 100) {
      errors[key] = "A percentage above 0 and below 100.";
      return undefined;
    }
    return n / 100;
  };
  const hot = read(text.hot, "hot");
  const cold = read(text.cold, "cold");
  if (hot !== undefined) body.hotConversion = hot;
  if (cold !== undefined) body.coldConversion = cold;
  if (hot !== undefined && cold !== undefined && cold >= hot)
    errors.cold = "Lower than the hot bucket's target.";
  return { body, errors };
}

/** An AUC to two decimals; "n/a" when the data could not give one. */
export const formatAuc = (auc: number | null | undefined) =>
  typeof auc === "number" && Number.isFinite(auc) ? auc.toFixed(2) : "n/a";

/** The note of the version an accepted proposal becomes. */
export function proposalNote(report: CalibrationReport): string {
  return `Calibrated from ${report.leads} outcomes (AUC ${formatAuc(report.rocAuc.scoreOutOfFold)})`;
}

export const BUCKETS = ["hot", "warm", "cold"] as const;

export function bucketRows(
  report: CalibrationReport,
): ({ bucket: (typeof BUCKETS)[number] } & BucketStats)[] {
  return BUCKETS.map((bucket) => ({ bucket, ...report.buckets[bucket] }));
}

export interface RuleRow {
  rule: string;
  label: string;
  fired: number;
  conversion: number;
  before: number;
  after: number;
  /** No lead with an outcome met the rule: the fit had nothing to go on and gives it 0 points. */
  noData: boolean;
}

/** Each rule's points before → after, changed ones first (largest change first), then the rest in order. */
export function ruleRows(report: CalibrationReport): RuleRow[] {
  const rows = report.rules.map((r) => ({
    rule: r.rule,
    label: r.label,
    fired: r.fired,
    conversion: r.conversion,
    before: r.before,
    after: r.after,
    noData: r.fired === 0,
  }));
  const moved = (r: RuleRow) => Math.abs(r.after - r.before);
  return rows
    .map((row, i) => ({ row, i }))
    .sort(
      (a, b) =>
        Number(moved(b.row) > 0) - Number(moved(a.row) > 0) || moved(b.row) - moved(a.row) || a.i - b.i,
    )
    .map(({ row }) => row);
}

export interface ThresholdRow {
  name: "warm" | "hot" | "mql";
  label: string;
  before: number;
  after: number;
}

/** The thresholds now (the schema's defaults when the config leaves them out) and proposed. */
export function thresholdRows(current: ScoringConfigInput, report: CalibrationReport): ThresholdRow[] {
  return [
    { name: "warm", label: "Warm from", before: current.warmThreshold ?? 30, after: report.thresholds.warm },
    { name: "hot", label: "Hot from", before: current.hotThreshold ?? 60, after: report.thresholds.hot },
    { name: "mql", label: "MQL from", before: current.mqlThreshold ?? 50, after: report.thresholds.mql },
  ];
}

/** What accepting would change in the saved scoring, as the History screen shows diffs. */
export function scoringChanges(current: ScoringConfigInput, proposed: ScoringConfig): Change[] {
  return jsonDiff(current, proposed);
}

/** Whether the draft's scoring differs from the saved one (edits the proposal does not include). */
export function scoringEdited<T extends { scoring?: unknown }>(saved: T, draft: T | null): boolean {
  return draft !== null && JSON.stringify(saved.scoring) !== JSON.stringify(draft.scoring);
}
