/**
 * The adapters under contract, each with the few probes the suite needs that the port does not offer
 * (outbox rows, counters): read straight from the adapter's own storage.
 */
import { env } from "cloudflare:test";
import { Redis } from "@upstash/redis/cloudflare";
import { d1LeadStore } from "../../edge/src/stores/d1/index.ts";
import type { LeadStore } from "../../edge/src/stores/ports/index.ts";
import type { IngestCommand } from "../../edge/src/stores/ports/ingest.ts";
import { upstashLeadStore } from "../../edge/src/stores/upstash/index.ts";
import { UpstashRest } from "../../edge/src/stores/upstash/rest.ts";
import type { Lead } from "../../shared/lead.ts";

export interface OutboxRow {
  id: string;
  destination: string;
  eventType: string;
  status: string;
  payload: { type: string; timestamp: string; data: Lead };
}

export interface Adapter {
  name: "d1" | "upstash" | "upstash (@upstash/redis)";
  /** A store as one request would have it (for Upstash: its own client, like a Worker request). */
  store(): LeadStore;
  outbox(leadId: string): Promise<OutboxRow[]>;
  eventCount(site: string, form: string, day: string, type: string): Promise<number>;
  spamCount(site: string): Promise<number>;
}

export function redis(): Redis {
  return new Redis({
    url: env.CONTRACT_UPSTASH_URL,
    token: env.CONTRACT_UPSTASH_TOKEN,
    automaticDeserialization: false,
    enableTelemetry: false,
    retry: { retries: 3, backoff: () => 20 },
  });
}

export const d1: Adapter = {
  name: "d1",
  store: () => d1LeadStore(env.DB),
  async outbox(leadId) {
    const { results } = await env.DB.prepare(
      "SELECT id, destination, event_type, status, payload FROM outbox WHERE lead_id = ?1 ORDER BY created_at, id",
    )
      .bind(leadId)
      .all<{ id: string; destination: string; event_type: string; status: string; payload: string }>();
    return results.map((r) => ({
      id: r.id,
      destination: r.destination,
      eventType: r.event_type,
      status: r.status,
      payload: JSON.parse(r.payload) as OutboxRow["payload"],
    }));
  },
  async eventCount(site, form, day, type) {
    const row = await env.DB.prepare(
      "SELECT count FROM form_stats WHERE site = ?1 AND form = ?2 AND day = ?3 AND type = ?4",
    )
      .bind(site, form, day, type)
      .first<{ count: number }>();
    return row?.count ?? 0;
  },
  async spamCount(site) {
    const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM spam WHERE site = ?1")
      .bind(site)
      .first<{ n: number }>();
    return row?.n ?? 0;
  },
};

/** The Upstash adapter as the Worker runs it: over the slim REST client (stores/upstash/rest.ts). */
export const upstash: Adapter = {
  name: "upstash",
  store: () =>
    upstashLeadStore(
      new UpstashRest({
        url: env.CONTRACT_UPSTASH_URL,
        token: env.CONTRACT_UPSTASH_TOKEN,
        backoff: () => 20,
      }),
    ),
  async outbox(leadId) {
    const r = redis();
    const ids = await r.smembers(`lc:lead:${leadId}:outbox`);
    const flat = await Promise.all(
      ids.map((id) => r.hgetall(`lc:outbox:${id}`) as unknown as Promise<string[]>),
    );
    return flat
      .filter((pairs) => pairs.length > 0)
      .map((pairs): Record<string, string> => {
        const row: Record<string, string> = {};
        for (let i = 0; i < pairs.length; i += 2) row[pairs[i]!] = pairs[i + 1]!;
        return row;
      })
      .map((row) => ({
        id: row.id!,
        destination: row.destination!,
        eventType: row.eventType!,
        status: row.status!,
        createdAt: row.createdAt!,
        payload: JSON.parse(row.payload!) as OutboxRow["payload"],
      }))
      .sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? -1 : 1))
      .map(({ createdAt: _, ...row }) => row);
  },
  async eventCount(site, form, day, type) {
    return Number((await redis().hget<string>(`lc:${site}:stats:${day}`, `${form}|${type}`)) ?? 0);
  },
  async spamCount(site) {
    return redis().llen(`lc:${site}:spam`);
  },
};

/** The same adapter over the official @upstash/redis client: the two clients must be interchangeable. */
export const upstashSdk: Adapter = {
  ...upstash,
  name: "upstash (@upstash/redis)",
  store: () => upstashLeadStore(redis()),
};

/** The bridge's test controls (demo-site/dev/bridge.ts): counters, and one reply to drop. */
export async function bridge(path: "stats" | "reset" | "drop", body: unknown = null) {
  const res = await fetch(`${env.CONTRACT_UPSTASH_URL}/_bridge/${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.CONTRACT_UPSTASH_TOKEN}` },
    body: JSON.stringify(body),
  });
  return (await res.json()) as { requests: number; commands: number; dropped: number };
}

let counter = 0;
/** A unique id per call: tests share one database per adapter. */
export function unique(prefix = "t"): string {
  counter++;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 8)}`;
}

const touch = (campaign: string, at: string, channel = "email") => ({
  utm_source: "newsletter",
  utm_medium: "email",
  utm_campaign: campaign,
  landingPage: `https://www.example.com/?utm_campaign=${campaign}`,
  channel,
  at,
});

export interface SubmissionSpec {
  site: string;
  dedupeKey: string;
  submissionId?: string;
  now?: string;
  score?: number;
  fields?: Record<string, string | boolean>;
  campaign?: string;
  channel?: string;
  form?: string;
  destinations?: string[];
  dedupeWindowDays?: number;
  scoringVersion?: string;
  rateWindow?: IngestCommand["rateWindow"];
  /** Values that only fill gaps (fields whose merge policy is `first`). */
  fillPatch?: Partial<Lead>;
}

/** An ingest command as the pipeline plans one (edge/src/pipeline/plan.ts planIngest). */
export function command(spec: SubmissionSpec): IngestCommand {
  const now = spec.now ?? new Date().toISOString();
  const score = spec.score ?? 50;
  const temperature = score >= 70 ? "hot" : score >= 40 ? "warm" : "cold";
  const stage = score >= 60 ? "MQL" : "IQL";
  const fields = spec.fields ?? {
    email: "ada@analytical.example",
    name: "Ada",
    company: "Analytical Engines",
  };
  const submissionId = spec.submissionId ?? unique("sub_");
  const lastTouch = touch(spec.campaign ?? "launch", now, spec.channel);
  const form = spec.form ?? "contact";
  const engagement = { activeTimeMs: 75_000, maxScrollPct: 80, pageViews: 3, visits: 2 };
  const page = {
    url: "https://www.example.com/#contact",
    title: "Acme — “quotes” \\ ünïcode",
    language: "en",
  };
  const lead: Lead = {
    id: unique("lead_"),
    site: spec.site,
    form,
    email: String(fields.email ?? "ada@analytical.example"),
    fields,
    consent: [{ field: "consent", text: "I agree", at: now }],
    score,
    temperature,
    stage,
    reasons: score > 60 ? [{ rule: "demo", label: "Asked for a demo", points: score }] : [],
    components: { fit: score / 2, engagement: 12.345678901234567, intent: 0 },
    firstTouch: lastTouch,
    lastTouch,
    engagement,
    page,
    submissionCount: 1,
    conversions: 1,
    lastConversionAt: now,
    createdAt: now,
    updatedAt: now,
  };
  const nonEmpty = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ""));
  return {
    site: spec.site,
    submissionId,
    dedupeKey: spec.dedupeKey,
    lead,
    mergePatch: {
      form,
      fields: nonEmpty,
      lastTouch,
      engagement,
      page,
      updatedAt: now,
      consent: lead.consent,
    },
    fillPatch: spec.fillPatch ?? {},
    record: { submissionId, form, fields, touch: lastTouch, engagement, page, at: now },
    scoringVersion: spec.scoringVersion ?? "v1",
    dedupeWindowDays: spec.dedupeWindowDays ?? 30,
    rateWindow: spec.rateWindow,
    deliveries: (spec.destinations ?? ["hook"]).map((destination) => ({ id: unique("msg_"), destination })),
    now,
  };
}
