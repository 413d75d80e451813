/**
 * The eval pipeline on the public X Education data (../shared/data, next to the repo): calibrated on
 * the training split, measured on the holdout. The bounds are what `npm run eval:scoring` measured,
 * less a small margin; see the report printed by that command for the full figures.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runEval } from "../tools/eval-scoring.ts";
import { parseCsv, readLeads } from "../tools/x-education.ts";

const data = (name: string) => readFileSync(new URL(`../../../shared/data/${name}`, import.meta.url), "utf8");

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM", () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n\n3,,last';
    expect(parseCsv(text)).toEqual([
      ["a", "b", "c"],
      ["1", "x, y", 'say "hi"'],
      ["2", "two\nlines", ""],
      ["3", "", "last"],
    ]);
    expect(() => parseCsv('a,"open')).toThrow(/not closed/);
  });
});

describe("X Education eval", () => {
  it("reaches the measured holdout figures with the calibrated rules, and reports the defaults", () => {
    const train = readLeads(data("x-education-leads.train.csv"));
    const holdout = readLeads(data("x-education-leads.holdout.csv"));
    expect(train.length).toBe(7358);
    expect(holdout.length).toBe(1879);
    const { calibrated, defaults, calibration } = runEval(train, holdout);
    // Measured: AUC 0.8925; hot 82.5% converting with 68.7% of converters; cold 4.3%.
    expect(calibrated.auc).toBeGreaterThanOrEqual(0.885);
    expect(calibrated.buckets.hot.conversion).toBeGreaterThanOrEqual(0.8);
    expect(calibrated.buckets.hot.recall).toBeGreaterThanOrEqual(0.66);
    expect(calibrated.buckets.cold.conversion).toBeLessThanOrEqual(0.05);
    // Measured 0.7751: short of the 0.80 target (see the report).
    expect(defaults.auc).toBeGreaterThanOrEqual(0.76);
    // The proposal is an ordinary config, with the calibrated weights as rule points.
    expect(calibration.config.rules.every((r) => Number.isInteger(r.points))).toBe(true);
  }, 30_000);
});
