import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SiteMetrics } from "../../edge/src/stores/ports/metrics.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import { adminHeaders, EDGE, get, postLead, submission, unique } from "./helpers.ts";

const ORIGIN = "https://strict.example";

async function metrics(): Promise<SiteMetrics> {
  const res = await get("/v1/admin/metrics?site=strict", adminHeaders);
  expect(res.status).toBe(200);
  return (await res.json()) as SiteMetrics;
}

const formOf = (m: SiteMetrics, form: string) =>
  m.byForm.find((f) => f.form === form) ?? { impressions: 0, submits: 0, leads: 0 };

describe("GET /v1/admin/metrics", () => {
  it("counts leads by day, temperature, stage, channel and form, impressions, and spam caught", async () => {
    const before = await metrics();
    const today = new Date().toISOString().slice(0, 10);
    await exports.default.fetch(
      new Request(`${EDGE}/v1/events`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: ORIGIN },
        body: JSON.stringify({
          site: "strict",
          events: Array.from({ length: 4 }, () => ({
            type: "impression",
            form: "signup",
            at: new Date().toISOString(),
          })),
        }),
      }),
    );
    for (let i = 0; i < 2; i++) {
      const res = await postLead(
        submission({ site: "strict", form: "signup", fields: { email: `${unique("m")}@acme.example` } }),
        { origin: ORIGIN },
      );
      expect(res.status).toBe(201);
    }
    // A bot (too fast for the guarded form): spam, not a lead.
    await postLead(
      submission({ site: "strict", form: "guarded-pass", fields: { email: `${unique("b")}@acme.example` } }),
      { origin: ORIGIN },
    );

    const after = await metrics();
    expect(after.leads - before.leads).toBe(2);
    const day = (m: SiteMetrics) => m.leadsByDay.find((d) => d.day === today)?.leads ?? 0;
    expect(day(after) - day(before)).toBe(2);
    expect(formOf(after, "signup").leads - formOf(before, "signup").leads).toBe(2);
    expect(formOf(after, "signup").impressions - formOf(before, "signup").impressions).toBe(4);
    const channel = (m: SiteMetrics) => m.byChannel.find((c) => c.channel === "email")?.leads ?? 0;
    expect(channel(after) - channel(before)).toBe(2);
    expect(Object.values(after.byTemperature).reduce((a, b) => a + b, 0)).toBe(after.leads);
    expect(Object.values(after.byStage).reduce((a, b) => a + b, 0)).toBe(after.leads);
    expect((after.spam.byReason["too-fast"] ?? 0) - (before.spam.byReason["too-fast"] ?? 0)).toBe(1);
  });

  it("checks its dates and the token's scope", async () => {
    const bad = await get("/v1/admin/metrics?site=strict&from=yesterday", adminHeaders);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.code).toBe("invalid_request");
    expect(
      (await get("/v1/admin/metrics?site=strict&from=2026-02-01&to=2026-01-01", adminHeaders)).status,
    ).toBe(400);
    expect(
      (await get("/v1/admin/metrics?site=demo", { authorization: "Bearer strict-only-token-0123456789" }))
        .status,
    ).toBe(403);
    const empty = (await (
      await get("/v1/admin/metrics?site=strict&from=2001-01-01&to=2001-02-01", adminHeaders)
    ).json()) as SiteMetrics;
    expect(empty).toMatchObject({ leads: 0, leadsByDay: [], spam: { total: 0 } });
  });
});
