/** Test helpers for the widget: the demo form as the edge serves it, and a fake network port. */
import { vi } from "vitest";
import type { FormConfig } from "../../shared/config.ts";
import { FormSchema } from "../../shared/config.ts";
import type { FieldValue } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { currentAttribution } from "../../widget/src/attribution.ts";
import { engagementSnapshot } from "../../widget/src/engagement.ts";
import type { Host } from "../../widget/src/host.ts";
import { createOutbox } from "../../widget/src/outbox.ts";
import type { KeyValue } from "../../widget/src/storage.ts";

/** The demo contact form with the schema's defaults applied, exactly what the widget receives. */
export const demoForm: FormConfig = FormSchema.parse(demoSite.forms[0]);

export interface SentRequest {
  url: string;
  init: RequestInit | undefined;
  body: unknown;
}

/**
 * A fake `fetch` answering from a queue of responders; records every request and its parsed body.
 * Responders are functions so each call gets a fresh Response (bodies are single-use).
 */
export function fakeFetch(...answers: Array<() => Response | Promise<Response>>) {
  const requests: SentRequest[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    requests.push({ url, init, body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request to ${url}`);
    return answer();
  });
  return { fetch, requests };
}

export const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

export const networkDown = () => Promise.reject(new TypeError("Failed to fetch"));

export const created = json(201, {
  leadId: "lead_1",
  duplicate: false,
  score: 70,
  temperature: "hot",
  stage: "MQL",
});

/** Every form of the demo site, as the edge serves them (schema defaults applied). */
export const demoForms: Record<string, FormConfig> = Object.fromEntries(
  demoSite.forms.map((form) => [form.id, FormSchema.parse(form)]),
);

/** A Storage stand-in, so each test controls what an earlier page left behind. */
export function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

export const ENDPOINT = "https://edge.test";

/**
 * A Host as the loader builds it, faked only at the network: submissions go through a real outbox
 * (in memory, no jitter) to `network.fetch`; emitted events are recorded.
 */
export function testHost(network: ReturnType<typeof fakeFetch>, prefill: Record<string, FieldValue> = {}) {
  const outbox = createOutbox({ fetch: network.fetch, area: memory(), random: () => 0 });
  const emitted: Array<[string, string]> = [];
  const host: Host = {
    site: "demo",
    submit: (submission) => outbox.submit(ENDPOINT, submission),
    signals: () => ({ attribution: currentAttribution(), engagement: engagementSnapshot() }),
    emit: (type, form) => void emitted.push([type, form]),
    prefill,
  };
  return { host, outbox, emitted };
}
