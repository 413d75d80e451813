/**
 * Helpers for edge tests: a valid submission as the widget sends it, and requests to the Worker.
 * Every answer from `exports.default` (these helpers, or a test's own fetch) is checked against the
 * served OpenAPI document by the edge project's setup file, tests/edge/openapi-setup.ts.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { channelOf } from "../../shared/channels.ts";
import { SiteSchema } from "../../shared/config.ts";
import type { LeadSubmission } from "../../shared/lead.ts";
import { emailDomainType, type ScoreResult, score } from "../../shared/scoring.ts";
import { demoSite } from "../../shared/sites/demo.ts";

export const ALLOWED_ORIGIN = "https://www.example.com";
export const EDGE = "https://edge.test";

let counter = 0;
/** A unique id per call, so tests never collide in the shared D1 database. */
export function unique(prefix = "t"): string {
  counter++;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 8)}`;
}

export function submission(
  overrides: Partial<LeadSubmission> & { fields?: LeadSubmission["fields"] } = {},
): LeadSubmission {
  const touch = {
    utm_source: "newsletter",
    utm_medium: "email",
    utm_campaign: "launch",
    landingPage: "https://www.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=launch",
    referrer: "https://news.example/",
    at: "2026-11-20T10:00:00.000Z",
  };
  return {
    site: "demo",
    form: "contact",
    submissionId: unique("sub_"),
    fields: {
      email: `${unique("ada")}@analytical.example`,
      name: "Ada Lovelace",
      company: "Analytical Engines",
      consent: true,
      website: "",
    },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 75_000, maxScrollPct: 80, pageViews: 3, visits: 2 },
    page: { url: "https://www.example.com/#contact", title: "Acme", language: "en" },
    ...overrides,
  };
}

/** A made-up client address, so tests that are not about rate limits never hit one. */
export function randomIp(): string {
  return `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 254) + 1}`;
}

export function postLead(
  body: unknown,
  init: { origin?: string | null; contentType?: string; ip?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": init.contentType ?? "text/plain;charset=UTF-8",
    "cf-connecting-ip": init.ip ?? randomIp(),
  };
  const origin = init.origin === undefined ? ALLOWED_ORIGIN : init.origin;
  if (origin !== null) headers.origin = origin;
  return exports.default.fetch(
    new Request(`${EDGE}/v1/leads`, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

export function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return exports.default.fetch(new Request(`${EDGE}${path}`, { headers }));
}

export const adminHeaders = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

/** A JSON request to the Worker, as the bootstrap owner unless `headers` say otherwise. */
export function send(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = adminHeaders,
): Promise<Response> {
  return exports.default.fetch(
    new Request(`${EDGE}${path}`, {
      method,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

/** Polls `check` until it returns a value or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What the demo site's scoring says for a submission to its contact form. */
export function expectedScore(body: LeadSubmission): ScoreResult {
  const site = SiteSchema.parse(demoSite);
  const form = site.forms.find((f) => f.id === body.form)!;
  const email = String(body.fields.email).trim().toLowerCase();
  const domain = email.slice(email.lastIndexOf("@") + 1);
  const fields = Object.fromEntries(Object.entries(body.fields).filter(([name]) => name !== "website"));
  return score(
    {
      form: { id: form.id, intent: form.intent },
      fields,
      email: { domain, domainType: emailDomainType(domain) },
      engagement: body.engagement,
      firstTouch: body.attribution.firstTouch,
      lastTouch: body.attribution.lastTouch,
      channel: channelOf(body.attribution.lastTouch, site.channels, { formIntent: form.intent }),
      keyPages: body.engagement.keyPages,
    },
    site.scoring,
  );
}
