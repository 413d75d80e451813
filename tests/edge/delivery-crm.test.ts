/**
 * Slack, HubSpot, Salesforce and Pipedrive destinations inside workerd, against local stand-ins that
 * check each request against the format the API documents (tests/e2e/support/crm-fake.ts, served
 * here as the fetch boundary; the e2e suite runs it behind a real loopback server). Covers the
 * default field mappings, a marketer's changed mapping, create-or-update, and errors surfacing in
 * the attempt log.
 */
import { env } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { D1DeliveryStore } from "../../edge/src/stores/d1/delivery.ts";
import type { SiteConfigInput } from "../../shared/config.ts";
import type { Lead } from "../../shared/lead.ts";
import {
  CRM_TOKENS,
  type CrmFake,
  createCrmFake,
  SALESFORCE_OAUTH,
  SALESFORCE_OID,
} from "../e2e/support/crm-fake.ts";
import { deliverDue, leadFor, outboxRow, row, siteWith, testEnv } from "./delivery-support.ts";
import { unique } from "./helpers.ts";

const store = new D1DeliveryStore(env.DB);
const BASE = "https://crm.test";
let fake: CrmFake;

beforeEach(() => {
  fake = createCrmFake();
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
    const request = new Request(input, init);
    return request.url.startsWith(BASE) ? fake.handle(request) : realFetch(input, init);
  });
});
afterEach(() => vi.restoreAllMocks());

/** One destination on a site of its own; delivers one event about `lead` and returns the outcome. */
async function deliver(destination: SiteConfigInput["destinations"][number], lead?: Partial<Lead>) {
  const site = unique("crm").toLowerCase();
  const e = testEnv([siteWith(site, [destination])], { ALLOW_PRIVATE_DESTINATIONS: "false" });
  const l = leadFor(site, {
    fields: {
      name: "Ada Lovelace",
      company: "Analytical Engines",
      phone: "+44 20 7946 0958",
      job_title: "CTO",
    },
    ...lead,
  });
  const id = await outboxRow(site, destination.id, l);
  const result = await deliverDue(store, e, id);
  return { ...result, lead: l, id, site, env: e };
}

describe("Slack", () => {
  it("posts a readable hot-lead alert: who, company, why hot, source, and a link", async () => {
    const { outcome, lead } = await deliver({
      id: "sales",
      type: "slack",
      url: `${BASE}/slack/services/T000/B000/XXXX`,
      leadUrl: "https://console.example.com/leads/{id}",
      mention: "<!here>",
    });
    expect(outcome).toBe("delivered");
    const [message] = fake.slackMessages;
    expect(message?.text).toContain("<!here>");
    expect(message?.text).toContain("hot lead: Ada Lovelace (Analytical Engines)");
    const blocks = JSON.stringify(message?.blocks);
    expect(blocks).toContain(lead.email);
    expect(blocks).toContain("A test event from Leadcap (+90)");
    expect(blocks).toContain("referral · leadcap / test · campaign “destination-test”");
    expect(blocks).toContain(`https://console.example.com/leads/${lead.id}`);
  });

  it("escapes what a visitor typed, so a name cannot ping the channel or forge a link", async () => {
    await deliver(
      { id: "sales", type: "slack", url: `${BASE}/slack/services/T000/B000/XXXX` },
      { fields: { name: "<!channel> <https://evil.example|click>", company: "A & B" } },
    );
    const message = fake.slackMessages[0]!;
    // mrkdwn (the fallback text and the sections) escaped; the header is plain_text, never parsed.
    const mrkdwnTexts = [message.text, ...JSON.stringify(message.blocks?.slice(1)).split("\\n")].join(" ");
    expect(mrkdwnTexts).not.toContain("<!channel>");
    expect(mrkdwnTexts).not.toContain("<https://evil");
    expect(message.text).toContain("&lt;!channel&gt;");
    const blocks = JSON.stringify(message.blocks);
    expect(blocks).toContain("A &amp; B");
  });
});

describe("HubSpot", () => {
  const contacts = {
    id: "hubspot",
    type: "hubspot" as const,
    token: CRM_TOKENS.hubspot,
    baseUrl: `${BASE}/hubspot`,
  };

  it("creates the contact with the attribution in properties, then updates it by email (409 → PATCH)", async () => {
    const first = await deliver(contacts);
    expect(first.outcome).toBe("delivered");
    const contact = fake.hubspotContacts.get(first.lead.email);
    expect(contact?.properties).toMatchObject({
      email: first.lead.email,
      firstname: "Ada",
      lastname: "Lovelace",
      company: "Analytical Engines",
      phone: "+44 20 7946 0958",
      jobtitle: "CTO",
      leadcap_score: "90",
      leadcap_temperature: "hot",
      leadcap_stage: "MQL",
      leadcap_utm_source: "leadcap",
      leadcap_utm_campaign: "destination-test",
      leadcap_channel: "referral",
      leadcap_landing_page: "https://www.example.com/pricing",
    });
    expect(fake.requests[0]).toMatchObject({ method: "POST", path: "/hubspot/crm/v3/objects/contacts" });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${CRM_TOKENS.hubspot}`);

    // The same person again, now SQL: HubSpot says 409, so the contact is updated by email.
    const site = unique("crm").toLowerCase();
    const e = testEnv([siteWith(site, [contacts])]);
    const id = await outboxRow(site, "hubspot", { ...first.lead, stage: "SQL" }, "lead.stage_changed");
    expect((await deliverDue(store, e, id)).outcome).toBe("delivered");
    expect(fake.requests.slice(-2).map((r) => [r.method, r.status, r.query.idProperty])).toEqual([
      ["POST", 409, undefined],
      ["PATCH", 200, "email"],
    ]);
    expect(fake.hubspotContacts.get(first.lead.email)?.properties.leadcap_stage).toBe("SQL");
  });

  it("uses the marketer's mapping, and a property HubSpot does not know fails the attempt with its answer", async () => {
    const mapped = await deliver({
      ...contacts,
      mapping: { leadcap_reasons: "", website: "page.url", lifecyclestage: "=marketingqualifiedlead" },
    });
    expect(mapped.outcome).toBe("delivered");
    const props = fake.hubspotContacts.get(mapped.lead.email)?.properties;
    expect(props?.website).toBe("https://www.example.com/pricing");
    expect(props?.lifecyclestage).toBe("marketingqualifiedlead");
    expect(props).not.toHaveProperty("leadcap_reasons");

    const bad = await deliver({ ...contacts, mapping: { hs_not_a_property: "email" } });
    expect(bad.outcome).toBe("retry");
    expect((await row(bad.id))?.last_error).toMatch(/HTTP 400.*PROPERTY_DOESNT_EXIST hs_not_a_property/);
  });

  it("submits a HubSpot form through the Forms API", async () => {
    const { outcome, lead } = await deliver({
      id: "hubspot-form",
      type: "hubspot",
      api: "forms",
      portalId: "1234567",
      formGuid: "0a1b2c3d-aaaa-bbbb-cccc-0123456789ab",
      baseUrl: `${BASE}/hubspot`,
    });
    expect(outcome).toBe("delivered");
    expect(fake.hubspotFormSubmissions[0]).toMatchObject({ portalId: "1234567" });
    expect(fake.hubspotFormSubmissions[0]?.fields).toContainEqual({ name: "email", value: lead.email });
  });
});

describe("Salesforce", () => {
  it("posts Web-to-Lead as a form with the org id and the documented field names", async () => {
    const { outcome, lead } = await deliver({
      id: "sf",
      type: "salesforce",
      oid: SALESFORCE_OID,
      baseUrl: `${BASE}/salesforce`,
      mapping: { "00N5g00000AbCdE": "lastTouch.utm_campaign" },
    });
    expect(outcome).toBe("delivered");
    expect(fake.webToLeads[0]).toMatchObject({
      oid: SALESFORCE_OID,
      first_name: "Ada",
      last_name: "Lovelace",
      email: lead.email,
      company: "Analytical Engines",
      title: "CTO",
      lead_source: "Web",
      "00N5g00000AbCdE": "destination-test",
    });
  });

  it("creates a Lead through the REST API, filling Salesforce's required fields, or upserts on an external id", async () => {
    const rest = {
      id: "sf",
      type: "salesforce" as const,
      api: "rest" as const,
      instanceUrl: `${BASE}/salesforce`,
      token: CRM_TOKENS.salesforce,
    };
    const created = await deliver(rest, { fields: { email: "x" } });
    expect(created.outcome).toBe("delivered");
    const [record] = [...fake.salesforceLeads.values()];
    expect(record).toMatchObject({
      LastName: created.lead.email,
      Company: "[not provided]",
      Rating: "Hot",
      LeadSource: "Web",
    });
    expect(fake.requests[0]?.path).toBe("/salesforce/services/data/v60.0/sobjects/Lead/");

    const upsert = { ...rest, externalIdField: "Leadcap_Id__c" };
    const first = await deliver(upsert);
    expect(first.outcome).toBe("delivered");
    const site = unique("crm").toLowerCase();
    const e = testEnv([siteWith(site, [upsert])]);
    const again = await outboxRow(site, "sf", { ...first.lead, temperature: "warm" }, "lead.updated");
    expect((await deliverDue(store, e, again)).outcome).toBe("delivered");
    const mine = [...fake.salesforceLeads.values()].filter((r) => r.Leadcap_Id__c === first.lead.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.Rating).toBe("Warm");

    const expired = await deliver({ ...rest, token: "expired" });
    expect(expired.outcome).toBe("retry");
    expect((await row(expired.id))?.last_error).toMatch(/401.*INVALID_SESSION_ID/);
  });

  it("refreshes an expired access token through the OAuth refresh flow once, and keeps the new one", async () => {
    const oauth = {
      id: "sf",
      type: "salesforce" as const,
      api: "rest" as const,
      instanceUrl: `${BASE}/salesforce`,
      loginUrl: `${BASE}/salesforce`,
      token: "expired",
      ...SALESFORCE_OAUTH,
    };
    const first = await deliver(oauth);
    expect(first.outcome).toBe("delivered");
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /salesforce/services/data/v60.0/sobjects/Lead/",
      "POST /salesforce/services/oauth2/token",
      "POST /salesforce/services/data/v60.0/sobjects/Lead/",
    ]);
    expect(fake.requests[2]?.headers.authorization).toBe(`Bearer ${CRM_TOKENS.salesforce}`);
    // The next lead goes straight through with the refreshed token.
    fake.requests.length = 0;
    expect((await deliver(oauth)).outcome).toBe("delivered");
    expect(fake.requests.map((r) => r.path)).toEqual(["/salesforce/services/data/v60.0/sobjects/Lead/"]);
    expect(fake.salesforceLeads.size).toBe(2);

    // A revoked refresh token: the delivery is retried later and the log says why.
    const revoked = await deliver({ ...oauth, token: undefined, refreshToken: "revoked" });
    expect(revoked.outcome).toBe("retry");
    expect((await row(revoked.id))?.last_error).toMatch(/oauth.*400/);
  });
});

describe("Pipedrive", () => {
  const pipedrive = {
    id: "pd",
    type: "pipedrive" as const,
    token: CRM_TOKENS.pipedrive,
    baseUrl: `${BASE}/pipedrive`,
  };

  it("finds or creates the person by email, then creates a lead for them, token in a header", async () => {
    const first = await deliver({
      ...pipedrive,
      mapping: { "0123456789abcdef0123456789abcdef01234567": "lastTouch.utm_source" },
    });
    expect(first.outcome).toBe("delivered");
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /pipedrive/v1/persons/search 200",
      "POST /pipedrive/v1/persons 201",
      "POST /pipedrive/v1/leads 201",
    ]);
    expect(
      fake.requests.every((r) => r.headers["x-api-token"] === CRM_TOKENS.pipedrive && !r.query.api_token),
    ).toBe(true);
    expect(fake.pipedrivePersons[0]).toMatchObject({
      name: "Ada Lovelace",
      email: [{ value: first.lead.email, primary: true }],
    });
    expect(fake.pipedriveLeads[0]).toMatchObject({
      title: "Ada Lovelace (Analytical Engines)",
      person_id: fake.pipedrivePersons[0]?.id,
      "0123456789abcdef0123456789abcdef01234567": "leadcap",
    });

    // The same person again: found, not created twice.
    const site = unique("crm").toLowerCase();
    const e = testEnv([siteWith(site, [pipedrive])]);
    const id = await outboxRow(site, "pd", first.lead, "lead.stage_changed");
    expect((await deliverDue(store, e, id)).outcome).toBe("delivered");
    expect(fake.pipedrivePersons).toHaveLength(1);
    expect(fake.pipedriveLeads).toHaveLength(2);
  });

  it("a wrong token fails the attempt with Pipedrive's answer", async () => {
    const { outcome, id } = await deliver({ ...pipedrive, token: "wrong" });
    expect(outcome).toBe("retry");
    expect((await row(id))?.last_error).toMatch(/HTTP 401.*unauthorized access/);
  });
});
