import { describe, expect, it } from "vitest";
import {
  bucketReport,
  fitLogistic,
  folds,
  quantile,
  rocAuc,
  seededRandom,
  wilsonBound,
} from "../../shared/stats.ts";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("fitLogistic", () => {
  it("recovers the weights synthetic data was generated with", () => {
    const random = seededRandom(7);
    const truth = { intercept: -1, weights: [1.5, -1, 0.5, 2, 0] };
    const rows: number[][] = [];
    const outcomes: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const row = truth.weights.map((_, j) => (j === 4 ? random() * 2 : random() < 0.4 ? 1 : 0));
      const z = truth.intercept + row.reduce((s, v, j) => s + v * (truth.weights[j] as number), 0);
      rows.push(row);
      outcomes.push(random() < sigmoid(z));
    }
    const fit = fitLogistic(rows, outcomes, { l2: 0.01 });
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(truth.intercept, 1);
    fit.weights.forEach((w, j) => {
      // About 3.5 standard errors at this sample size.
      expect(Math.abs(w - (truth.weights[j] as number))).toBeLessThan(0.15);
    });
  });

  it("stays finite on separable data and on a feature that never fires, thanks to the penalty", () => {
    const rows = [
      [1, 0],
      [1, 0],
      [0, 0],
      [0, 0],
    ];
    const fit = fitLogistic(rows, [1, 1, 0, 0], { l2: 1 });
    expect(Number.isFinite(fit.weights[0])).toBe(true);
    expect(fit.weights[0]).toBeGreaterThan(0);
    expect(fit.weights[1]).toBe(0);
  });
});

describe("rocAuc", () => {
  it("is 1 for a perfect ranking, 0 for a reversed one, ½ for ties, and counts ties half", () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBe(0.5);
    // Pairs (pos, neg): (3>1) (3>2) (2=2 → ½) (2>1) → 3.5 of 4.
    expect(rocAuc([1, 2, 2, 3], [false, false, true, true])).toBe(0.875);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });
});
describe("buckets, bounds, folds and quantiles", () => {
  it("reports conversion, share and share of converters per bucket", () => {
    const report = bucketReport(["hot", "cold"] as const, ["hot", "hot", "cold", "cold"], [1, 0, 1, 0]);
    expect(report.hot).toEqual({ leads: 2, share: 0.5, converted: 1, conversion: 0.5, recall: 0.5 });
  });

  it("bounds a rate with Wilson's interval", () => {
    expect(wilsonBound(80, 100, 1.645, -1)).toBeCloseTo(0.7267, 3);
    expect(wilsonBound(80, 100, 1.645, 1)).toBeCloseTo(0.8575, 3);
    expect(wilsonBound(8, 10, 0, -1)).toBe(0.8);
  });

  it("makes folds that cover every index once", () => {
    const parts = folds(103, 5, 3);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it("picks the nearest-rank quantile, clamped, without reordering its input", () => {
    const values = [5, 1, 4, 2, 3];
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 0.5)).toBe(3);
    expect(quantile(values, 0.74)).toBe(4);
    expect(quantile(values, 1)).toBe(5);
    expect(quantile(values, 2)).toBe(5);
    expect(quantile(values, -1)).toBe(1);
    expect(quantile([], 0.5)).toBe(0);
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it("draws the same sequence from the same seed, in [0, 1)", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const drawn = Array.from({ length: 1000 }, () => a());
    expect(drawn).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(drawn.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRandom(43)()).not.toBe(drawn[0]);
  });
});
