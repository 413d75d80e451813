/**
 * General statistics for calibration and evaluation: a seeded PRNG and folds, an L2-regularized
 * logistic regression fitted by Newton's method, ROC AUC, Wilson bounds, conversion per bucket,
 * quantiles. Pure TypeScript, no I/O, nothing about rules or scores (./calibration.ts is that).
 */

/** Whether a lead converted. */
export type Outcome = boolean | 0 | 1;

/** Mulberry32: a small seeded PRNG for reproducible folds and synthetic data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Features as sparse rows: most rules do not fire for most leads. */
interface SparseRow {
  index: number[];
  value: number[];
}

function sparse(row: ArrayLike<number>): SparseRow {
  const index: number[] = [];
  const value: number[] = [];
  for (let j = 0; j < row.length; j++) {
    const v = row[j] as number;
    if (v !== 0) {
      index.push(j);
      value.push(v);
    }
  }
  return { index, value };
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the intercept). @default 1 */
  l2?: number;
  /** @default 100 */
  maxIterations?: number;
  /** Stop when no parameter moves by more than this. @default 1e-8 */
  tolerance?: number;
}

export interface LogisticFit {
  weights: number[];
  intercept: number;
  iterations: number;
  converged: boolean;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z));
}

/**
 * Solve A x = b for a symmetric positive definite A (Cholesky). Reads only the lower triangle of A
 * and overwrites it with the factor.
 */
function solveSpd(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  for (let j = 0; j < n; j++) {
    const aj = a[j] as Float64Array;
    let d = aj[j] as number;
    for (let k = 0; k < j; k++) d -= (aj[k] as number) ** 2;
    // A tiny floor keeps a feature that never fires (zero column, no penalty) from breaking the solve.
    d = Math.sqrt(Math.max(d, 1e-12));
    aj[j] = d;
    for (let i = j + 1; i < n; i++) {
      const ai = a[i] as Float64Array;
      let s = ai[j] as number;
      for (let k = 0; k < j; k++) s -= (ai[k] as number) * (aj[k] as number);
      ai[j] = s / d;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    const ai = a[i] as Float64Array;
    let s = x[i] as number;
    for (let k = 0; k < i; k++) s -= (ai[k] as number) * (x[k] as number);
    x[i] = s / (ai[i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let k = i + 1; k < n; k++) s -= ((a[k] as Float64Array)[i] as number) * (x[k] as number);
    x[i] = s / ((a[i] as Float64Array)[i] as number);
  }
  return x;
}

/**
 * Fit P(y=1|x) = σ(b + w·x), minimizing log loss + l2/2 · |w|², by Newton's method with step halving.
 * The intercept is parameter 0 inside; rows are dense or sparse-friendly arrays of numbers.
 */
export function fitLogistic(
  rows: ArrayLike<number>[],
  outcomes: ArrayLike<Outcome>,
  options: LogisticOptions = {},
): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const p = rows.reduce((max, row) => Math.max(max, row.length), 0);
  const data = rows.map(sparse);
  const y = Array.from(outcomes, (o) => (o ? 1 : 0));
  const n = data.length;
  const theta = new Float64Array(p + 1);
  const mean = y.reduce((s: number, v) => s + v, 0) / Math.max(1, n);
  theta[0] = Math.log((mean + 0.5 / (n + 1)) / (1 - mean + 0.5 / (n + 1)));

  const linear = (row: SparseRow, t: Float64Array) => {
    let z = t[0] as number;
    for (let k = 0; k < row.index.length; k++)
      z += (t[(row.index[k] as number) + 1] as number) * (row.value[k] as number);
    return z;
  };
  const objective = (t: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const z = linear(data[i] as SparseRow, t);
      loss += softplus(z) - (y[i] as number) * z;
    }
    for (let j = 1; j <= p; j++) loss += (l2 / 2) * (t[j] as number) ** 2;
    return loss;
  };

  let current = objective(theta);
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const gradient = new Float64Array(p + 1);
    const hessian = Array.from({ length: p + 1 }, () => new Float64Array(p + 1));
    for (let i = 0; i < n; i++) {
      const row = data[i] as SparseRow;
      const mu = sigmoid(linear(row, theta));
      const r = mu - (y[i] as number);
      const w = Math.max(mu * (1 - mu), 1e-12);
      gradient[0] = (gradient[0] as number) + r;
      const h0 = hessian[0] as Float64Array;
      h0[0] = (h0[0] as number) + w;
      for (let a = 0; a < row.index.length; a++) {
        const ja = (row.index[a] as number) + 1;
        const va = row.value[a] as number;
        gradient[ja] = (gradient[ja] as number) + r * va;
        const ha = hessian[ja] as Float64Array;
        ha[0] = (ha[0] as number) + w * va;
        for (let b = 0; b <= a; b++) {
          const jb = (row.index[b] as number) + 1;
          ha[jb] = (ha[jb] as number) + w * va * (row.value[b] as number);
        }
      }
    }
    for (let j = 1; j <= p; j++) {
      gradient[j] = (gradient[j] as number) + l2 * (theta[j] as number);
      const hj = hessian[j] as Float64Array;
      hj[j] = (hj[j] as number) + l2;
    }
    // Only the lower triangle is accumulated (row.index is increasing): all solveSpd reads.
    const step = solveSpd(hessian, gradient);
    let scale = 1;
    let next = theta.map((t, j) => t - scale * (step[j] as number));
    let value = objective(next);
    while (value > current + 1e-12 && scale > 1e-6) {
      scale /= 2;
      next = theta.map((t, j) => t - scale * (step[j] as number));
      value = objective(next);
    }
    let moved = 0;
    for (let j = 0; j <= p; j++)
      moved = Math.max(moved, Math.abs((next[j] as number) - (theta[j] as number)));
    theta.set(next);
    current = value;
    if (moved < tolerance) converged = true;
  }
  return { intercept: theta[0] as number, weights: Array.from(theta.subarray(1)), iterations, converged };
}

/** The model's log-odds for one row. */
export function logit(fit: LogisticFit, row: ArrayLike<number>): number {
  let z = fit.intercept;
  for (let j = 0; j < row.length; j++) z += (fit.weights[j] ?? 0) * (row[j] as number);
  return z;
}

/**
 * Area under the ROC curve: the chance that a random converter scores above a random non-converter,
 * ties counting half (Mann–Whitney U with mid-ranks). NaN when one class is missing.
 */
export function rocAuc(scores: ArrayLike<number>, outcomes: ArrayLike<Outcome>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    const s = scores[order[start] as number] as number;
    while (end < order.length && scores[order[end] as number] === s) end++;
    const midRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (outcomes[order[k] as number]) {
        positives++;
        rankSum += midRank;
      }
    }
    start = end;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface BucketStats {
  leads: number;
  /** Share of all leads in this bucket. */
  share: number;
  converted: number;
  /** Conversion rate of the bucket. */
  conversion: number;
  /** Share of all converters that are in this bucket. */
  recall: number;
}

/** Conversion per bucket (temperature, stage, …), in the order the buckets are listed. */
export function bucketReport<B extends string>(
  buckets: readonly B[],
  labels: ArrayLike<B>,
  outcomes: ArrayLike<Outcome>,
): Record<B, BucketStats> {
  let total = 0;
  for (let i = 0; i < outcomes.length; i++) if (outcomes[i]) total++;
  const report = {} as Record<B, BucketStats>;
  for (const bucket of buckets) {
    let leads = 0;
    let converted = 0;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== bucket) continue;
      leads++;
      if (outcomes[i]) converted++;
    }
    report[bucket] = {
      leads,
      share: labels.length ? leads / labels.length : 0,
      converted,
      conversion: leads ? converted / leads : 0,
      recall: total ? converted / total : 0,
    };
  }
  return report;
}

/** Wilson score interval bound for `k` successes in `n` trials: lower for side -1, upper for +1. */
export function wilsonBound(k: number, n: number, z: number, side: 1 | -1): number {
  if (n === 0) return side === 1 ? 1 : 0;
  const p = k / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.min(1, Math.max(0, (centre + side * spread) / (1 + z2 / n)));
}

/** k folds of 0..n-1, shuffled with a seed. */
export function folds(n: number, k: number, seed = 1): number[][] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

/** Cross-validated ROC AUC of the model at each penalty, on pooled out-of-fold log-odds. */
export function crossValidateL2(
  rows: number[][],
  outcomes: readonly Outcome[],
  penalties: readonly number[],
  k = 5,
  seed = 1,
): { l2: number; auc: number }[] {
  const parts = folds(rows.length, k, seed);
  return penalties.map((l2) => {
    const predicted = new Float64Array(rows.length);
    for (const test of parts) {
      const held = new Set(test);
      const train = rows.flatMap((_, i) => (held.has(i) ? [] : [i]));
      const fit = fitLogistic(
        train.map((i) => rows[i] as number[]),
        train.map((i) => outcomes[i] as Outcome),
        { l2 },
      );
      for (const i of test) predicted[i] = logit(fit, rows[i] as number[]);
    }
    return { l2, auc: rocAuc(predicted, outcomes) };
  });
}

/** The value at quantile `q` (0–1) of `values`: the nearest rank, 0 for none. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[at] as number;
}
