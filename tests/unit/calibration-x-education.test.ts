/**
 * The eval pipeline on the public X Education data (tests/data, a gzipped copy: nothing beside the
 * clone is needed): calibrated on the training split, measured on the holdout. The bounds are what
 * `npm run eval:scoring` measured, less a small margin; see the report printed by that command.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { runEval } from "../tools/eval-scoring.ts";
import { parseCsv, readLeads, toLead } from "../tools/x-education.ts";

const data = (name: string) =>
  gunzipSync(readFileSync(new URL(`../data/${name}.gz`, import.meta.url))).toString("utf8");

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

describe("toLead", () => {
  const record = (overrides: Record<string, string>) => ({
    "Lead Origin": "Landing Page Submission",
    "Lead Source": "Google",
    "Do Not Email": "No",
    "Do Not Call": "No",
    Converted: "1",
    TotalVisits: "4",
    "Total Time Spent on Website": "754",
    "Page Views Per Visit": "2.5",
    "Last Activity": "Email Opened",
    "What is your current occupation": "Working Professional",
    "A free copy of Mastering The Interview": "No",
    ...overrides,
  });

  it("maps a landing-page lead's columns to the signals Leadcap observes", () => {
    const { input, converted } = toLead(record({}));
    expect(converted).toBe(true);
    // What a landing page's form offered is unknown: no intent points for it.
    expect(input.form).toEqual({ id: "landing_page_submission", intent: "other" });
    expect(input.channel).toBe("paid_search");
    expect(input.fields).toEqual({ role: "Working Professional" });
    expect(input.engagement).toEqual({
      activeTimeMs: 754_000,
      maxScrollPct: 0,
      visits: 4,
      pageViews: 2.5,
      totalPageViews: 10,
    });
    expect(input.events).toEqual([{ type: "email_open" }]);
    expect(input.consent).toEqual({ email: true, call: true });
  });

  it("keeps the free e-book box as a field, an ad form as a contact request, an opt-out as consent", () => {
    expect(toLead(record({ "A free copy of Mastering The Interview": "Yes" })).input.fields).toEqual({
      role: "Working Professional",
      freeCopy: true,
    });
    const ad = toLead(
      record({
        "Lead Origin": "Lead Add Form",
        "Do Not Email": "Yes",
        "What is your current occupation": "Select",
      }),
    ).input;
    expect(ad.form.intent).toBe("contact");
    expect(ad.fields).toEqual({});
    expect(ad.consent?.email).toBe(false);
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
    // Measured 0.8164 (issue 5's target for the uncalibrated defaults is 0.80).
    expect(defaults.auc).toBeGreaterThanOrEqual(0.8);
    // The proposal is an ordinary config, with the calibrated weights as rule points.
    expect(calibration.config.rules.every((r) => Number.isInteger(r.points))).toBe(true);
  }, 30_000);
});
