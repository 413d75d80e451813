/** Leads of the running stack's demo site: sent as the widget on the demo page sends them, and read back. */
import { expect, inject } from "vitest";
import type { Lead, LeadSubmission } from "../../../shared/lead.ts";

/**
 * One submission to the demo site, as the widget on the demo page sends it (its origin, text/plain
 * JSON), with `touch` as its attribution; fails the test unless the edge keeps it.
 */
export async function submitDemoLead(
  email: string,
  form: string,
  fields: Record<string, unknown>,
  touch: Record<string, string> = {},
): Promise<void> {
  const stack = inject("stack");
  const at = { landingPage: `${stack.demoUrl}/`, at: new Date().toISOString(), ...touch };
  const body: LeadSubmission = {
    site: "demo",
    form,
    submissionId: `e2e_${Math.random().toString(36).slice(2, 12)}`,
    fields: { email, ...fields } as LeadSubmission["fields"],
    attribution: { firstTouch: at, lastTouch: at },
    engagement: { activeTimeMs: 90_000, maxScrollPct: 80, visits: 3, pageViews: 4 },
    page: { url: `${stack.demoUrl}/` },
  };
  const res = await fetch(`${stack.edgeUrl}/v1/leads`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

/** The demo site's stored leads of one email, through the admin API. */
export async function leadsByEmail(email: string): Promise<Lead[]> {
  const stack = inject("stack");
  const res = await fetch(`${stack.edgeUrl}/v1/admin/leads?site=demo&limit=100`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  return ((await res.json()) as { leads: Lead[] }).leads.filter((lead) => lead.email === email);
}
