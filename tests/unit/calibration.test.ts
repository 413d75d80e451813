import { describe, expect, it } from "vitest";
import { calibrate, chooseThresholds } from "../../shared/calibration.ts";
import { type ScoringInput, score } from "../../shared/scoring.ts";
import { type Rule, type ScoringConfig, ScoringSchema } from "../../shared/scoring-schema.ts";
import { rocAuc, seededRandom } from "../../shared/stats.ts";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("thresholds", () => {
  it("chooses the widest hot and cold buckets that meet their targets", () => {
    // Score s converts with probability s/100, 100 leads per score 0..99.
    const scores: number[] = [];
    const outcomes: boolean[] = [];
    for (let s = 0; s < 100; s++) {
      for (let k = 0; k < 100; k++) {
        scores.push(s);
        outcomes.push(k < s);
      }
    }
    const floors = scores.map(() => "cold" as const);
    const plain = chooseThresholds(scores, outcomes, floors, {
      hotConversion: 0.8,
      coldConversion: 0.05,
      confidence: 0,
    });
    // Mean conversion of [t, 99] is (t + 99) / 200 ≥ 0.8 → t ≥ 61; of [0, t) is (t − 1) / 200 ≤ 0.05 → t ≤ 11.
    expect(plain).toMatchObject({ hotThreshold: 61, warmThreshold: 11 });
    expect(plain.mqlThreshold).toBeGreaterThanOrEqual(11);
    expect(plain.mqlThreshold).toBeLessThanOrEqual(61);
    const sure = chooseThresholds(scores, outcomes, floors, { hotConversion: 0.8, coldConversion: 0.05 });
    expect(sure.hotThreshold).toBeGreaterThan(61);
    expect(sure.warmThreshold).toBeLessThan(11);
  });
});

describe("calibrate", () => {
  const touch = { landingPage: "https://site.test/", at: "2026-11-20T10:00:00.000Z" };
  const rule = (id: string, group: string, signal: string, value: string): Rule => ({
    id,
    label: id,
    points: 0,
    group,
    when: [{ signal, op: "eq", value }],
  });
  const rules: Rule[] = [
    rule("demo", "intent", "form.intent", "demo"),
    rule("download", "intent", "form.intent", "download"),
    rule("newsletter", "intent", "form.intent", "newsletter"),
    rule("referral", "channel", "channel", "referral"),
    rule("search", "channel", "channel", "organic_search"),
    rule("vp", "role", "fields.role", "vp"),
    rule("ic", "role", "fields.role", "engineer"),
  ];
  // Points the synthetic leads convert by: P(convert) = σ((points − 45) / 10).
  const truth: Record<string, number> = {
    demo: 40,
    download: 15,
    newsletter: 0,
    referral: 20,
    search: 0,
    vp: 30,
    ic: 0,
  };

  const bare: ScoringConfig = { warmThreshold: 30, hotThreshold: 60, mqlThreshold: 50, rules: [] };

  function synthetic(n: number, seed: number) {
    const random = seededRandom(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;
    const inputs: ScoringInput[] = [];
    const outcomes: boolean[] = [];
    for (let i = 0; i < n; i++) {
      const intent = pick(["demo", "download", "newsletter"] as const);
      const input: ScoringInput = {
        form: { id: intent, intent },
        fields: { role: pick(["vp", "engineer"]) },
        email: { domain: "acme.com", domainType: "company" },
        engagement: { activeTimeMs: 0, maxScrollPct: 0 },
        firstTouch: touch,
        lastTouch: touch,
        channel: pick(["referral", "organic_search"]),
      };
      const truePoints =
        (truth[intent] as number) +
        (input.channel === "referral" ? 20 : 0) +
        (input.fields.role === "vp" ? 30 : 0);
      inputs.push(input);
      outcomes.push(random() < sigmoid((truePoints - 45) / 10));
    }
    return { inputs, outcomes };
  }

  it("recovers the points the synthetic outcomes were generated with, and proposes a valid config", () => {
    const { inputs, outcomes } = synthetic(12_000, 11);
    const result = calibrate(inputs, outcomes, { ...bare, rules }, { l2: 0.1 });
    const points = Object.fromEntries(result.config.rules.map((r) => [r.id, r.points]));
    // Each group starts at 0 points; the rest is proportional to the truth (up to the 0–100 scale).
    const scale = (points.demo as number) / 40;
    for (const [id, expected] of Object.entries(truth)) {
      expect(Math.abs((points[id] as number) - expected * scale)).toBeLessThanOrEqual(3);
    }
    expect(ScoringSchema.safeParse(result.config).success).toBe(true);
    expect(result.training.outOfFoldAuc).toBeGreaterThan(0.75);
    // The ranking by the engine's score is the ranking by the true points.
    const fresh = synthetic(2_000, 12);
    const auc = rocAuc(
      fresh.inputs.map((i) => score(i, result.config).score),
      fresh.outcomes,
    );
    const ideal = rocAuc(
      fresh.inputs.map(
        (i) =>
          (truth[i.form.intent] as number) +
          (i.channel === "referral" ? 20 : 0) +
          (i.fields.role === "vp" ? 30 : 0),
      ),
      fresh.outcomes,
    );
    expect(auc).toBeCloseTo(ideal, 2);
  });

  it("keeps the points of a rule no lead with an outcome matched: no evidence is not evidence of 0", () => {
    const { inputs, outcomes } = synthetic(3_000, 13);
    const pricing: Rule = { ...rule("pricing", "intent", "form.intent", "pricing"), points: 35 };
    const result = calibrate(inputs, outcomes, { ...bare, rules: [...rules, pricing] }, { l2: 0.1 });
    const change = result.rules.find((r) => r.rule === "pricing")!;
    expect(change).toMatchObject({ fired: 0, before: 35, after: 35 });
    expect(result.config.rules.find((r) => r.id === "pricing")?.points).toBe(35);
    // The rules the data speaks to are still fitted.
    expect(result.config.rules.find((r) => r.id === "demo")?.points).toBeGreaterThan(0);
  });
});

describe("calibrate CLI: Leadcap export rows", () => {
  it("maps signal-path columns to a scoring input, and never writes to prototypes", async () => {
    const { fromExport } = await import("../tools/calibrate.ts");
    const lead = fromExport({
      converted: "yes",
      "form.intent": "demo",
      "fields.role": "VP Sales",
      "engagement.activeTimeMs": "600000",
      "consent.email": "false",
      events: "download; webinar",
      "__proto__.polluted": "1",
    });
    expect(lead.converted).toBe(true);
    expect(lead.input.form.intent).toBe("demo");
    expect(lead.input.fields.role).toBe("VP Sales");
    expect(lead.input.engagement.activeTimeMs).toBe(600_000);
    expect(lead.input.consent).toEqual({ email: false });
    expect(lead.input.events).toEqual([{ type: "download" }, { type: "webinar" }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(lead.input)).not.toContain("polluted");
  });
});

describe("calibrate CLI: a site", () => {
  it("asks the edge for the site's proposal with the admin token, and says why when there is none", async () => {
    const { createServer } = await import("node:http");
    const { calibrateSite } = await import("../tools/calibrate.ts");
    const seen: { path?: string; auth?: string; body?: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ path: req.url ?? "", auth: req.headers.authorization ?? "", body });
        const ok = req.url === "/v1/admin/sites/acme/calibration";
        res.writeHead(ok ? 200 : 422, { "content-type": "application/json" });
        res.end(
          JSON.stringify(
            ok
              ? { site: "acme", baseVersion: 3, scoring: { rules: [] }, report: { leads: 40 } }
              : { error: { code: "unprocessable", message: "Calibration needs at least 10 converted" } },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const edge = `http://127.0.0.1:${port}`;
    try {
      const proposal = await calibrateSite("acme", { edge, token: "tok-123", hot: "0.75" });
      expect(proposal).toMatchObject({ baseVersion: 3, report: { leads: 40 } });
      expect(seen[0]).toEqual({
        path: "/v1/admin/sites/acme/calibration",
        auth: "Bearer tok-123",
        body: JSON.stringify({ hotConversion: 0.75 }),
      });
      await expect(calibrateSite("empty", { edge, token: "tok-123" })).rejects.toThrow(
        /422 unprocessable: Calibration needs at least 10 converted/,
      );
      await expect(calibrateSite("acme", { edge, token: undefined })).rejects.toThrow(/admin token/);
    } finally {
      server.close();
    }
  });
});
