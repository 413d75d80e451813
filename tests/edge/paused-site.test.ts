import { describe, expect, it } from "vitest";
import { type SiteConfig, SiteSchema } from "../../shared/config.ts";
import type { ErrorBody } from "../../shared/errors.ts";
import type { SubmitAnswer } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import {
  ALLOWED_ORIGIN,
  adminHeaders,
  eventually,
  get,
  postLead,
  send,
  submission,
  unique,
} from "./helpers.ts";

describe("a paused site", () => {
  it("shows no form and keeps leads in the visitor's browser (503, Retry-After) until it takes them again", async () => {
    const id = unique("paused-");
    const config: SiteConfig = {
      ...SiteSchema.parse(demoSite),
      id,
      name: `Paused ${id}`,
      allowedOrigins: [ALLOWED_ORIGIN],
      destinations: [],
      routing: undefined,
      disabled: true,
    };
    expect((await send("POST", "/v1/admin/sites", { config, note: "paused from the start" })).status).toBe(
      201,
    );

    const form = await get(`/v1/sites/${id}/forms/contact`);
    expect(form.status).toBe(503);
    expect(((await form.json()) as ErrorBody).error.code).toBe("unavailable");
    const settings = (await (await get(`/v1/sites/${id}`)).json()) as { forms: unknown[] };
    expect(settings.forms).toEqual([]);

    const body = submission({ site: id });
    const refused = await postLead(body);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as ErrorBody).error.code).toBe("unavailable");
    const listed = (await (await get(`/v1/admin/leads?site=${id}`, adminHeaders)).json()) as {
      leads: unknown[];
    };
    expect(listed.leads).toEqual([]);

    // Taking leads again: the browser's retry of the same submission is accepted.
    expect(
      (
        await send("PUT", `/v1/admin/sites/${id}/config`, {
          config: { ...config, disabled: false },
          baseVersion: 1,
        })
      ).status,
    ).toBe(200);
    const answer = await eventually(async () => {
      const res = await postLead(body);
      return res.status === 201 ? ((await res.json()) as SubmitAnswer) : undefined;
    });
    expect(answer.duplicate).toBe(false);
    expect((await get(`/v1/sites/${id}/forms/contact`)).status).toBe(200);
  });
});
