import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../shared/errors.ts";
import { ALLOWED_ORIGIN, EDGE } from "./helpers.ts";

function postEvents(body: unknown, origin: string | null = ALLOWED_ORIGIN): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "text/plain;charset=UTF-8" };
  if (origin) headers.origin = origin;
  return exports.default.fetch(
    new Request(`${EDGE}/v1/events`, { method: "POST", headers, body: JSON.stringify(body) }),
  );
}

async function count(type: string, day: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT count FROM form_stats WHERE site = 'demo' AND form = 'contact' AND day = ? AND type = ?",
  )
    .bind(day, type)
    .first<{ count: number }>();
  return row?.count ?? 0;
}

describe("POST /v1/events", () => {
  it("counts impressions and submits per form and day", async () => {
    const day = "2026-01-15";
    const at = `${day}T12:00:00.000Z`;
    const res = await postEvents({
      site: "demo",
      events: [
        { type: "impression", form: "contact", at },
        { type: "impression", form: "contact", at },
        { type: "submit", form: "contact", at, page: "https://www.example.com/" },
        { type: "impression", form: "no-such-form", at },
      ],
    });
    expect(res.status).toBe(202);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED_ORIGIN);
    expect(await res.json()).toEqual({ accepted: 4, dropped: 0 });
    expect(await count("impression", day)).toBe(2);
    expect(await count("submit", day)).toBe(1);
    await postEvents({ site: "demo", events: [{ type: "impression", form: "contact", at }] });
    expect(await count("impression", day)).toBe(3);
  });

  it("counts the valid events of a batch and drops the invalid ones, never refusing the rest", async () => {
    const day = "2026-01-17";
    const at = `${day}T12:00:00.000Z`;
    const res = await postEvents({
      site: "demo",
      events: [
        { type: "impression", form: "contact", at },
        { type: "clicked", form: "contact", at },
        { type: "impression", form: "contact", at },
        { type: "submit", form: "contact", at: "yesterday" },
        { type: "submit", form: "contact", at },
      ],
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 3, dropped: 2 });
    expect(await count("impression", day)).toBe(2);
    expect(await count("submit", day)).toBe(1);

    // Prototype.js writes the list as JSON text: decoded. A list broken altogether counts as one dropped.
    const asText = await postEvents({
      site: "demo",
      events: JSON.stringify([{ type: "open", form: "contact", at }]),
    });
    expect(await asText.json()).toEqual({ accepted: 1, dropped: 0 });
    expect(await count("open", day)).toBe(1);
    const broken = await postEvents({ site: "demo", events: "BROKEN-ARRAY" });
    expect(broken.status).toBe(202);
    expect(await broken.json()).toEqual({ accepted: 0, dropped: 1 });

    // Past the batch limit: the first 50 count, the rest are dropped.
    const tooMany = await postEvents({
      site: "demo",
      events: Array.from({ length: 51 }, () => ({ type: "close", form: "contact", at })),
    });
    expect(await tooMany.json()).toEqual({ accepted: 50, dropped: 1 });
    expect(await count("close", day)).toBe(50);
  });

  it("refuses a body that is not JSON or names no known site, and foreign origins", async () => {
    const at = "2026-01-16T12:00:00.000Z";
    const notJson = await exports.default.fetch(
      new Request(`${EDGE}/v1/events`, {
        method: "POST",
        headers: { "content-type": "text/plain", origin: ALLOWED_ORIGIN },
        body: "{not json",
      }),
    );
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.code).toBe("invalid_request");
    const noSite = await postEvents({ events: [{ type: "impression", form: "contact", at }] });
    expect(noSite.status).toBe(400);
    expect(((await noSite.json()) as ErrorBody).error.fields).toEqual({ site: "Expected the site's id." });
    expect(
      (await postEvents({ site: "nope", events: [{ type: "impression", form: "contact", at }] })).status,
    ).toBe(404);
    const foreign = await postEvents(
      { site: "demo", events: [{ type: "impression", form: "contact", at }] },
      "https://evil.example",
    );
    expect(foreign.status).toBe(403);
    // Readable by that page (nothing is written): the widget tells the visitor the truth.
    expect(foreign.headers.get("access-control-allow-origin")).toBe("https://evil.example");
    expect(await count("impression", "2026-01-16")).toBe(0);
  });
});

describe("POST /v1/events: per channel and campaign", () => {
  const metrics = async (from: string, to: string) =>
    (await (
      await exports.default.fetch(
        new Request(`${EDGE}/v1/admin/metrics?site=demo&from=${from}&to=${to}`, {
          headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
        }),
      )
    ).json()) as {
      byChannel: { channel: string; impressions: number }[];
      byCampaign: { channel: string; campaign: string; impressions: number; leads: number }[];
    };

  it("counts impressions under the visitor's channel and campaign, as the site's rules classify the touch", async () => {
    const at = "2026-02-10T12:00:00.000Z";
    const touch = {
      utm_source: "google",
      utm_medium: "cpc",
      utm_campaign: "brand-feb",
      clickIds: { gclid: "abc" },
      landingPage: "https://www.example.com/?gclid=abc",
      at,
    };
    const impression = { type: "impression", form: "contact", at };
    expect((await postEvents({ site: "demo", events: [impression, impression], touch })).status).toBe(202);
    // A touch that does not parse is ignored: the events still count per form.
    expect((await postEvents({ site: "demo", events: [impression], touch: { utm_source: 42 } })).status).toBe(
      202,
    );
    expect((await postEvents({ site: "demo", events: [impression] })).status).toBe(202);
    expect(await count("impression", "2026-02-10")).toBe(4);
    const m = await metrics("2026-02-10", "2026-02-11");
    expect(m.byChannel).toEqual([expect.objectContaining({ channel: "paid_search", impressions: 2 })]);
    // A campaign with impressions and no lead yet is listed with 0 leads.
    expect(m.byCampaign).toEqual([
      expect.objectContaining({ channel: "paid_search", campaign: "brand-feb", impressions: 2, leads: 0 }),
    ]);
  });
});
