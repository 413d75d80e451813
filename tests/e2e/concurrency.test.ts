/**
 * Dedupe under concurrency, against the real stack (wrangler dev: workerd + local D1) over loopback:
 * 1,000 simultaneous submissions of one email make one lead and 1,000 well-formed answers; 1,000
 * simultaneous different emails make 1,000 leads.
 */
import { describe, expect, inject, it } from "vitest";
import type { Lead, LeadSubmission, SubmitAnswer } from "../../shared/lead.ts";

const stack = inject("stack");
const N = 1000;

function submission(email: string, i: number): LeadSubmission {
  const touch = { utm_source: "load", landingPage: `${stack.demoUrl}/`, at: new Date().toISOString() };
  return {
    site: "demo",
    form: "contact",
    submissionId: `conc_${Date.now().toString(36)}_${i}_${Math.random().toString(36).slice(2, 8)}`,
    fields: { email, name: `Visitor ${i}`, consent: true, website: "" },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 1000, maxScrollPct: 10 },
    page: { url: `${stack.demoUrl}/` },
  };
}

async function post(body: LeadSubmission): Promise<{ status: number; answer: SubmitAnswer }> {
  const res = await fetch(`${stack.edgeUrl}/v1/leads`, {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin: stack.demoUrl },
    body: JSON.stringify(body),
  });
  return { status: res.status, answer: (await res.json()) as SubmitAnswer };
}

async function leadsWithEmailDomain(domain: string): Promise<Lead[]> {
  const found: Lead[] = [];
  let cursor: string | null = null;
  do {
    const res = await fetch(
      `${stack.edgeUrl}/v1/admin/leads?site=demo&limit=500${cursor ? `&cursor=${cursor}` : ""}`,
      {
        headers: { authorization: `Bearer ${stack.adminToken}` },
      },
    );
    const page = (await res.json()) as { leads: Lead[]; nextCursor: string | null };
    found.push(...page.leads.filter((l) => l.email.endsWith(`@${domain}`)));
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

describe("dedupe under concurrency (wrangler dev + D1)", () => {
  it("makes exactly one lead from 1,000 simultaneous submissions of one email", {
    timeout: 120_000,
  }, async () => {
    const domain = `same-${Date.now()}.example`;
    const email = `Someone@${domain}`;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => post(submission(i % 2 ? email : ` ${email.toLowerCase()} `, i))),
    );
    const created = results.filter((r) => r.status === 201);
    const duplicates = results.filter((r) => r.status === 200);
    expect(created).toHaveLength(1);
    expect(duplicates).toHaveLength(N - 1);
    expect(duplicates.every((r) => r.answer.duplicate === true)).toBe(true);
    expect(new Set(results.map((r) => r.answer.leadId))).toEqual(new Set([created[0]!.answer.leadId]));
    const leads = await leadsWithEmailDomain(domain);
    expect(leads).toHaveLength(1);
    expect(leads[0]!.submissionCount).toBe(N);
  });

  it("makes 1,000 leads from 1,000 simultaneous different emails", { timeout: 120_000 }, async () => {
    const domain = `many-${Date.now()}.example`;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => post(submission(`v${i}@${domain}`, i))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(N);
    expect(new Set(results.map((r) => r.answer.leadId)).size).toBe(N);
    expect(await leadsWithEmailDomain(domain)).toHaveLength(N);
  });
});
