/** Identity, contact data and site-level rules, on the strict site given through LEADCAP_SITES. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ErrorBody } from "../../shared/errors.ts";
import type { Lead, SubmitAnswer } from "../../shared/lead.ts";
import { adminHeaders, get, postLead, randomIp, submission, unique } from "./helpers.ts";

const ORIGIN = "https://strict.example";

function signup(fields: Record<string, string>) {
  return submission({ site: "strict", form: "signup", fields });
}

describe("a site configured through LEADCAP_SITES", () => {
  it("serves its form and refuses origins of other sites", async () => {
    expect((await get("/v1/sites/strict/forms/signup")).status).toBe(200);
    const foreign = await postLead(signup({ email: `${unique()}@acme.example` }));
    expect(foreign.status).toBe(403);
  });

  it("treats Gmail dots and +tags as the same person, keeping the address as typed", async () => {
    const name = unique("ada");
    const first = (await (
      await postLead(signup({ email: `${name}.l@gmail.com` }), { origin: ORIGIN })
    ).json()) as SubmitAnswer;
    const second = await postLead(signup({ email: `${name}l+trial@googlemail.com` }), { origin: ORIGIN });
    expect(second.status).toBe(200);
    expect(((await second.json()) as SubmitAnswer).leadId).toBe(first.leadId);
    const lead = (await (await get(`/v1/admin/leads/${first.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.email).toBe(`${name}.l@gmail.com`);
    // This site's dedupe window is 0 days: the repeat is a new conversion of the same person.
    expect(lead).toMatchObject({ submissionCount: 2, conversions: 2 });
  });

  it("refuses disposable addresses with a message on the email field", async () => {
    const res = await postLead(signup({ email: `${unique()}@mailinator.com` }), { origin: ORIGIN });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.fields?.email).toMatch(/disposable/);
  });

  it("stores phone numbers in E.164 using the field's country", async () => {
    const answer = (await (
      await postLead(signup({ email: `${unique()}@acme.example`, phone: "020 7946 0958" }), {
        origin: ORIGIN,
      })
    ).json()) as SubmitAnswer;
    const lead = (await (await get(`/v1/admin/leads/${answer.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.fields.phone).toBe("+442079460958");
  });

  it("applies its own fixed rate-limit window", async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) {
      expect(
        (await postLead(signup({ email: `${unique()}@acme.example` }), { origin: ORIGIN, ip })).status,
      ).toBe(201);
    }
    const limited = await postLead(signup({ email: `${unique()}@acme.example` }), { origin: ORIGIN, ip });
    expect(limited.status).toBe(429);
    // A fixed window of an hour: Retry-After points at its end.
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(3600);
    expect(env.LEADCAP_SITES).toContain('"strict"');
  });

  it("keeps the first answer of a field whose merge policy says so, the newest of the others", async () => {
    const email = `${unique("merge")}@acme.example`;
    const first = (await (
      await postLead(signup({ email, phone: "+44 20 7946 0000", heardFrom: "a podcast" }), { origin: ORIGIN })
    ).json()) as SubmitAnswer;
    await postLead(signup({ email, phone: "+44 20 7946 1111", heardFrom: "a search engine" }), {
      origin: ORIGIN,
    });
    const lead = (await (await get(`/v1/admin/leads/${first.leadId}`, adminHeaders)).json()) as Lead;
    expect(lead.fields).toMatchObject({ heardFrom: "a podcast", phone: "+442079461111" });
  });
});
