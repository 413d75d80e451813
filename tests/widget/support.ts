/** Test helpers for the widget: the demo form as the edge serves it, and a fake network port. */
import { vi } from "vitest";
import type { FormConfig } from "../../shared/config.ts";
import { FormSchema } from "../../shared/config.ts";
import { demoSite } from "../../shared/sites/demo.ts";

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
