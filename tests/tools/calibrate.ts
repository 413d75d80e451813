/**
 * npm run calibrate -- <leads.csv> [--config base.json] [--out proposal.json]
 *                      [--hot-conversion 0.8] [--cold-conversion 0.05]
 *
 * Fits the points of a rule set to real outcomes and proposes a scoring config with thresholds. It
 * only ever writes a proposal (to --out, or JSON on stdout): nothing changes until a marketer accepts
 * it. The proposal is `{ scoring, report }`; `scoring` parses with ScoringSchema.
 *
 * CSV formats:
 * - the X Education data set (a `Lead Origin` and a `Converted` column): its columns are mapped to
 *   Leadcap signals and the candidate rules of tests/tools/x-education.ts are fitted (or the rules of
 *   --config);
 * - a Leadcap export: a `converted` column (1/0, true/false, yes/no) and one column per signal path
 *   (`form.intent`, `fields.role`, `engagement.activeTimeMs`, `channel`, `consent.email`, …;
 *   `events` holds event types separated by `;`). The rules of --config (default: the default
 *   rules) are fitted.
 * `<site>` instead of a CSV: the edge fits the site's own rules to the outcomes in its store and
 * answers the proposal (POST /v1/admin/sites/:site/calibration); the console shows it to accept.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type CalibrationReport, calibrate, calibrationReport } from "../../shared/calibration.ts";
import { DEFAULT_SCORING, type ScoringInput } from "../../shared/scoring.ts";
import { type ScoringConfig, ScoringSchema } from "../../shared/scoring-schema.ts";
import { candidateRules, type Lead, parseCsvRecords, toLead } from "./x-education.ts";

const TRUE = new Set(["1", "true", "yes", "y"]);
const NUMERIC_ROOTS = new Set(["engagement", "keyPages"]);
const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);
const touch = { landingPage: "", at: "1970-01-01T00:00:00.000Z" };

/** One row of a Leadcap export → a scoring input: each column is a dotted signal path. */
export function fromExport(record: Record<string, string>): Lead {
  const input: ScoringInput = {
    form: { id: "", intent: "other" },
    fields: {},
    email: { domain: "", domainType: "free" },
    engagement: { activeTimeMs: 0, maxScrollPct: 0 },
    firstTouch: { ...touch },
    lastTouch: { ...touch },
  };
  for (const [column, raw] of Object.entries(record)) {
    const value = raw.trim();
    if (column === "converted" || value === "") continue;
    if (column === "events") {
      input.events = value.split(";").map((type) => ({ type: type.trim() }));
      continue;
    }
    const keys = column.split(".");
    // A column named like `__proto__.x` must not reach the object model.
    if (keys.some((key) => FORBIDDEN.has(key))) continue;
    const root = keys[0] ?? "";
    let parsed: unknown = value;
    if (NUMERIC_ROOTS.has(root) && Number.isFinite(Number(value))) parsed = Number(value);
    else if (root === "consent") parsed = TRUE.has(value.toLowerCase());
    let target = input as unknown as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[keys.at(-1) ?? ""] = parsed;
  }
  return { input, converted: TRUE.has((record.converted ?? "").trim().toLowerCase()) };
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined) throw new Error(`${name} needs a value`);
  args.splice(at, 2);
  return value;
}

const USAGE = `usage: npm run calibrate -- <leads.csv | site> [--config base.json] [--out proposal.json]
                             [--hot-conversion 0.8] [--cold-conversion 0.05] [--edge URL] [--token T]
  <leads.csv>  the X Education data set, or a Leadcap export: a \`converted\` column and one column
               per signal path (form.intent, fields.role, engagement.activeTimeMs, events, …)
  <site>       a site id: the edge fits the site's own rules to the outcomes in its store
               (POST /v1/admin/sites/<site>/calibration); --edge (default $LEADCAP_EDGE or the local
               http://127.0.0.1:8787) and --token (default $ADMIN_TOKEN or .dev.vars)
  --config     the rules to fit (a scoring config as JSON); default: the default rules, or the
               X Education candidate rules for that data set
  --out        where to write the proposal ({ scoring, report }); default: stdout
Only ever writes a proposal: nothing changes until a marketer accepts it.`;

async function main(argv: string[]) {
  const args = [...argv];
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const configPath = option(args, "--config");
  const out = option(args, "--out");
  const hot = option(args, "--hot-conversion");
  const cold = option(args, "--cold-conversion");
  const edge = option(args, "--edge");
  const token = option(args, "--token");
  const [source] = args;
  if (!source) {
    console.error(USAGE);
    process.exit(2);
  }
  if (!source.toLowerCase().endsWith(".csv")) {
    const proposal = await calibrateSite(source, {
      edge: edge ?? process.env.LEADCAP_EDGE ?? "http://127.0.0.1:8787",
      token: token ?? process.env.ADMIN_TOKEN ?? localToken(),
      hot,
      cold,
    });
    emit(proposal, out);
    return;
  }
  if (!existsSync(source)) {
    console.error(`${source}: no such file`);
    process.exit(2);
  }
  const records = parseCsvRecords(readFileSync(source, "utf8"));
  const header = Object.keys(records[0] ?? {});
  const xEducation = header.includes("Lead Origin") && header.includes("Converted");
  if (!xEducation && !header.includes("converted")) {
    console.error("the CSV needs a `converted` column (or is the X Education data set)");
    process.exit(2);
  }
  const leads = records.map(xEducation ? toLead : fromExport);
  const base: ScoringConfig = configPath
    ? ScoringSchema.parse(JSON.parse(readFileSync(configPath, "utf8")))
    : { ...ScoringSchema.parse(DEFAULT_SCORING), ...(xEducation ? { rules: candidateRules(leads) } : {}) };
  const result = calibrate(
    leads.map((l) => l.input),
    leads.map((l) => l.converted),
    base,
    {
      ...(hot !== undefined ? { hotConversion: Number(hot) } : {}),
      ...(cold !== undefined ? { coldConversion: Number(cold) } : {}),
    },
  );
  emit(
    {
      scoring: result.config,
      report: calibrationReport(
        result,
        leads.map((l) => l.converted),
      ),
    },
    out,
  );
}

interface Proposal {
  scoring: ScoringConfig;
  report: CalibrationReport;
  /** Site mode: the config version the proposal was made from. */
  baseVersion?: number;
}

function emit(proposal: Proposal, out: string | undefined) {
  const text = `${JSON.stringify(proposal, null, 2)}\n`;
  if (!out) {
    process.stdout.write(text);
    return;
  }
  writeFileSync(out, text);
  const { scoring: config, report } = proposal;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`proposal written to ${out} (nothing changes until it is accepted)`);
  console.log(
    `${report.leads} leads, ${report.converted} converted; ROC AUC ${report.rocAuc.scoreOutOfFold.toFixed(4)} (out of fold)`,
  );
  console.log(
    `thresholds: warm ${config.warmThreshold}, hot ${config.hotThreshold}, MQL ${config.mqlThreshold}`,
  );
  for (const t of ["hot", "warm", "cold"] as const) {
    const b = report.buckets[t];
    console.log(
      `  ${t.padEnd(4)} ${pct(b.share)} of leads, converts ${pct(b.conversion)}, ${pct(b.recall)} of converters`,
    );
  }
}

/** The admin token of a local run (`npm start` writes it to .dev.vars), when none is given. */
function localToken(): string | undefined {
  if (!existsSync(".dev.vars")) return undefined;
  return /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m.exec(readFileSync(".dev.vars", "utf8"))?.[1]?.trim();
}

/** Site mode: the edge fits the site's rules to the outcomes in its store and answers a proposal. */
export async function calibrateSite(
  site: string,
  options: { edge: string; token: string | undefined; hot?: string | undefined; cold?: string | undefined },
): Promise<Proposal> {
  if (!options.token) throw new Error("an admin token is needed: --token, ADMIN_TOKEN, or .dev.vars");
  const res = await fetch(
    `${options.edge.replace(/\/$/, "")}/v1/admin/sites/${encodeURIComponent(site)}/calibration`,
    {
      method: "POST",
      headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        ...(options.hot !== undefined ? { hotConversion: Number(options.hot) } : {}),
        ...(options.cold !== undefined ? { coldConversion: Number(options.cold) } : {}),
      }),
    },
  );
  const body = (await res.json()) as Proposal | { error?: { code: string; message: string } };
  if (!res.ok || !("scoring" in body)) {
    const error = "error" in body ? body.error : undefined;
    throw new Error(`${res.status} ${error?.code ?? ""}: ${error?.message ?? "no proposal"}`);
  }
  return body;
}

if (import.meta.main) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
