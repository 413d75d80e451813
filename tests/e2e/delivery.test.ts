/**
 * Delivery against the real stack (wrangler dev: workerd + local D1 + the local queue), with a
 * receiver on loopback told to fail, and the retry schedule and leases compressed to seconds:
 * - 2,000 leads while the receiver fails half of all requests for a bounded period: every accepted
 *   lead is acknowledged, each exactly once after dedupe by webhook-id, delivered + dead = accepted;
 * - the workerd process killed (SIGKILL) while leads are posted and deliveries are mid-retry,
 *   restarted on the same state: nothing is lost;
 * - routing to Slack, HubSpot, Salesforce and Pipedrive stand-ins that check the documented formats.
 */
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Receiver, startReceiver } from "../../demo-site/dev/receiver.ts";
import { localSecrets, type Stack, startStack } from "../../demo-site/dev/stack.ts";
import type { SiteConfigInput } from "../../shared/config.ts";
import type { LeadEvent, LeadSubmission } from "../../shared/lead.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { CRM_TOKENS, SALESFORCE_OID } from "./support/crm-fake.ts";
import { type CrmServer, startCrmServer } from "./support/crm-server.ts";

const LOAD_LEADS = 2000;
const KILL_LEADS = 400;
const secret = localSecrets().DEMO_WEBHOOK_SECRET ?? "";

let receiver: Receiver;
let crm: CrmServer;
let persistTo: string;
let stack: Stack | undefined;

function sites(): SiteConfigInput[] {
  const hook = (name: string) => ({
    id: "receiver",
    type: "webhook" as const,
    url: `${receiver.url}/webhooks/${name}`,
    secret: "${DEMO_WEBHOOK_SECRET}",
  });
  return [
    { ...demoSite, id: "load", destinations: [hook("load")] },
    { ...demoSite, id: "kill", destinations: [hook("kill")] },
    {
      ...demoSite,
      id: "crm",
      destinations: [
        {
          id: "sales",
          type: "slack",
          url: `${crm.url}/slack/services/T1/B1/X`,
          leadUrl: "https://console.example.com/leads/{id}",
        },
        { id: "hubspot", type: "hubspot", token: "${HUBSPOT_TOKEN}", baseUrl: `${crm.url}/hubspot` },
        { id: "salesforce", type: "salesforce", oid: SALESFORCE_OID, baseUrl: `${crm.url}/salesforce` },
        { id: "pipedrive", type: "pipedrive", token: "${PIPEDRIVE_TOKEN}", baseUrl: `${crm.url}/pipedrive` },
      ],
      routing: {
        routes: [
          { when: { temperature: "hot", event: "lead.created" }, to: ["sales"] },
          { when: { temperature: ["hot", "warm"] }, to: ["pipedrive"] },
          { to: ["hubspot", "salesforce"] },
        ],
      },
    },
  ];
}

async function start(): Promise<Stack> {
  // startStack picks free ports and then binds them; on a busy machine another process can take
  // one in between: try again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      if (attempt === 3 || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

function startOnce(): Promise<Stack> {
  return startStack({
    persistTo,
    vars: {
      RETRY_SCHEDULE: "1,2,4,8,15,30",
      DELIVERY_LEASE_SECONDS: "5",
      ALLOW_PRIVATE_DESTINATIONS: "true",
      LEADCAP_SITES: JSON.stringify(sites()),
      HUBSPOT_TOKEN: CRM_TOKENS.hubspot,
      PIPEDRIVE_TOKEN: CRM_TOKENS.pipedrive,
    },
  });
}

/** The processes of a process group (zombies included), from /proc. */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) === pgid) members.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

/**
 * SIGKILL to wrangler's process group (wrangler and its workerd): a crash, not a shutdown. Resolves
 * once the group is gone (zombies reaped), so the stack's stop() does not wait for it.
 */
async function killWorkerd(edgeUrl: string): Promise<void> {
  const port = new URL(edgeUrl).port;
  let pgid = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (ppid === process.pid && cmdline.includes("dev") && cmdline.includes(port)) pgid = Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  if (!pgid) throw new Error(`no wrangler dev child on port ${port}`);
  process.kill(-pgid, "SIGKILL");
  const deadline = Date.now() + 30_000;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function submission(site: string, i: number, run: string, form = "contact"): LeadSubmission {
  const touch = { utm_source: "load", landingPage: "http://127.0.0.1/", at: new Date().toISOString() };
  return {
    site,
    form,
    submissionId: `dl_${run}_${i}`,
    fields:
      form === "contact"
        ? {
            email: `v${i}.${run}@${site}.example`,
            name: `Visitor ${i}`,
            company: "Acme",
            consent: true,
            website: "",
          }
        : { email: `v${i}.${run}@${site}.example`, consent: true },
    attribution: { firstTouch: touch, lastTouch: touch },
    engagement: { activeTimeMs: 1000, maxScrollPct: 10 },
    page: { url: "http://127.0.0.1/" },
  };
}

/**
 * Posts one submission the way the widget does: a 5xx or an unreadable answer is retried with the
 * same submission id (the edge answers a retry of an accepted one with the first answer again).
 * Returns the lead id when accepted as a new lead.
 */
async function postOne(edgeUrl: string, body: LeadSubmission): Promise<string | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = await fetch(`${edgeUrl}/v1/leads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 201 || res.status === 200) {
        const answer = JSON.parse(text) as { leadId: string; duplicate: boolean };
        return answer.duplicate ? undefined : answer.leadId;
      }
      if (res.status < 500) throw new Error(`${res.status}: ${text}`);
      console.warn(`retrying ${body.submissionId} after ${res.status}: ${text.slice(0, 100)}`);
    } catch (error) {
      if (error instanceof Error && /^\d{3}:/.test(error.message)) throw error;
      if (attempt === 4) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
  }
  return undefined;
}

/** Posts `n` new leads, 16 at a time; returns the ids of those accepted. */
async function postLeads(edgeUrl: string, site: string, n: number): Promise<string[]> {
  const run = Date.now().toString(36);
  const accepted: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) {
        const id = await postOne(edgeUrl, submission(site, next++, run));
        if (id) accepted.push(id);
      }
    }),
  );
  return accepted;
}

async function admin<T>(path: string): Promise<T> {
  if (!stack) throw new Error("no stack");
  const res = await fetch(`${stack.edgeUrl}/v1/admin${path}`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

type Counts = { pending: number; delivered: number; dead: number };
const counts = async (site: string) =>
  (await admin<{ deliveries: Counts }>(`/destinations/receiver?site=${site}`)).deliveries;

/** Waits until no delivery of `site` is pending, running the sweep every few seconds as the cron would. */
async function settled(site: string, timeoutMs: number): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await fetch(`${stack!.edgeUrl}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
    const c = await counts(site);
    if (c.pending === 0) return c;
    if (Date.now() > deadline) throw new Error(`${site}: still ${JSON.stringify(c)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

/** Webhook ids acknowledged (2xx) per lead id, from what the receiver saw at endpoint `name`. */
function acknowledged(name: string): { byLead: Map<string, Set<string>>; acks: number } {
  const byLead = new Map<string, Set<string>>();
  let acks = 0;
  for (const d of receiver.deliveries) {
    if (d.name !== name || !d.verified || d.answered < 200 || d.answered >= 300) continue;
    acks++;
    const leadId = (JSON.parse(d.body) as LeadEvent).data.id;
    const ids = byLead.get(leadId) ?? new Set<string>();
    ids.add(d.id);
    byLead.set(leadId, ids);
  }
  return { byLead, acks };
}

beforeAll(async () => {
  receiver = await startReceiver({ secret });
  crm = await startCrmServer();
  persistTo = await mkdtemp(join(tmpdir(), "leadcap-delivery-"));
  stack = await start();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
  await crm?.close();
  if (persistTo) await rm(persistTo, { recursive: true, force: true });
});

describe("delivery through wrangler dev, D1 and the queue", () => {
  it(`acknowledges every one of ${LOAD_LEADS.toLocaleString("en")} leads while the receiver fails half of all requests`, {
    timeout: 300_000,
  }, async () => {
    // Half of all requests fail from the first lead until a thousand have failed (at most 2 minutes).
    const failed = () => receiver.deliveries.filter((d) => d.name === "load" && d.answered === 500).length;
    await fetch(`${receiver.url}/control`, {
      method: "POST",
      body: JSON.stringify({ name: "load", mode: "status", status: 500, rate: 0.5, forMs: 120_000 }),
    });
    const started = Date.now();
    const accepted = await postLeads(stack!.edgeUrl, "load", LOAD_LEADS);
    expect(accepted).toHaveLength(LOAD_LEADS);
    const ingestS = (Date.now() - started) / 1000;
    while (failed() < LOAD_LEADS / 2 && Date.now() - started < 120_000) {
      await fetch(`${stack!.edgeUrl}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await fetch(`${receiver.url}/control`, {
      method: "POST",
      body: JSON.stringify({ name: "load", clear: true }),
    });
    const final = await settled("load", 240_000);
    // Delivered + dead-lettered = accepted; the schedule outlasts the outage, so none is dead.
    expect(final.delivered + final.dead).toBe(LOAD_LEADS);
    expect(final.dead).toBe(0);
    const { byLead, acks } = acknowledged("load");
    const failures = failed();
    console.log(
      `load: ${LOAD_LEADS} leads accepted in ${ingestS.toFixed(1)} s, ${failures} failed attempts, ` +
        `${acks} acks for ${byLead.size} leads, all settled after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(failures).toBeGreaterThanOrEqual(LOAD_LEADS / 4);
    // Each lead acknowledged, and exactly once after dedupe by webhook-id.
    expect(accepted.every((id) => byLead.get(id)?.size === 1)).toBe(true);
    expect(byLead.size).toBe(LOAD_LEADS);
  });

  it("loses nothing when workerd is killed mid-run (accepting leads, deliveries mid-retry) and restarted on the same state", {
    timeout: 300_000,
  }, async () => {
    // The receiver refuses everything, so deliveries are mid-retry (delayed queue messages, in
    // memory) when the process dies, and leads are still being posted: only D1 remembers.
    await fetch(`${receiver.url}/control`, {
      method: "POST",
      body: JSON.stringify({ name: "kill", mode: "status", status: 503 }),
    });
    const run = Date.now().toString(36);
    const bodies = Array.from({ length: KILL_LEADS }, (_, i) => submission("kill", i, run));
    const accepted = new Set<string>();
    const unanswered: LeadSubmission[] = [];
    const edgeUrl = stack!.edgeUrl;
    let next = 0;
    let killed = false;
    let dead: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < KILL_LEADS) {
          const body = bodies[next++]!;
          if (killed) {
            unanswered.push(body);
            continue;
          }
          try {
            const res = await fetch(`${edgeUrl}/v1/leads`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify(body),
            });
            if (res.status !== 201) throw new Error(String(res.status));
            accepted.add(((await res.json()) as { leadId: string }).leadId);
          } catch {
            unanswered.push(body);
          }
          if (!killed && accepted.size >= KILL_LEADS / 2) {
            killed = true;
            dead = killWorkerd(edgeUrl);
          }
        }
      }),
    );
    expect(killed).toBe(true);
    await dead;
    const beforeKill = accepted.size;
    await stack!.stop();
    stack = undefined;
    await fetch(`${receiver.url}/control`, {
      method: "POST",
      body: JSON.stringify({ name: "kill", clear: true }),
    });

    stack = await start();
    // What never got an answer is sent again with the same submission id, as the widget's outbox does:
    // stored before the crash, it gets its first answer back; otherwise it is accepted now.
    for (const body of unanswered) {
      const id = await postOne(stack.edgeUrl, body);
      if (id) accepted.add(id);
    }
    expect(accepted.size).toBe(KILL_LEADS);
    const final = await settled("kill", 120_000);
    console.log(
      `kill: ${beforeKill} accepted before the kill, ${unanswered.length} sent again after the restart`,
    );
    expect(final).toMatchObject({ delivered: KILL_LEADS, dead: 0 });
    const { byLead } = acknowledged("kill");
    expect([...accepted].every((id) => byLead.get(id)?.size === 1)).toBe(true);
  });

  it("routes a hot lead to Slack, Pipedrive, HubSpot and Salesforce, and a cold one to the CRMs only, in their formats", {
    timeout: 120_000,
  }, async () => {
    const run = Date.now().toString(36);
    const post = (body: LeadSubmission) =>
      fetch(`${stack!.edgeUrl}/v1/leads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then(async (r) => ({
        status: r.status,
        answer: (await r.json()) as { leadId: string; temperature: string },
      }));
    const hot = await post(submission("crm", 1, run));
    const cold = await post(submission("crm", 2, run, "newsletter"));
    expect(hot.status).toBe(201);
    expect(hot.answer.temperature).toBe("hot");
    expect(cold.status).toBe(201);
    expect(cold.answer.temperature).not.toBe("hot");

    // Pipedrive takes hot and warm leads; the newsletter lead may be either cold or warm.
    const pipedriveExpected = cold.answer.temperature === "warm" ? 2 : 1;
    const deadline = Date.now() + 60_000;
    const hotEmail = `v1.${run}@crm.example`;
    const coldEmail = `v2.${run}@crm.example`;
    while (
      (crm.fake.hubspotContacts.size < 2 ||
        crm.fake.webToLeads.length < 2 ||
        crm.fake.slackMessages.length < 1 ||
        crm.fake.pipedriveLeads.length < pipedriveExpected) &&
      Date.now() < deadline
    ) {
      await fetch(`${stack!.edgeUrl}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(crm.fake.requests.filter((r) => r.problem)).toEqual([]);
    expect(crm.fake.slackMessages).toHaveLength(1);
    expect(crm.fake.slackMessages[0]?.text).toContain("Visitor 1 (Acme)");
    expect(JSON.stringify(crm.fake.slackMessages[0]?.blocks)).toContain(
      `https://console.example.com/leads/${hot.answer.leadId}`,
    );
    expect(crm.fake.hubspotContacts.get(hotEmail)?.properties).toMatchObject({
      leadcap_temperature: "hot",
      leadcap_utm_source: "load",
    });
    expect(crm.fake.hubspotContacts.get(coldEmail)).toBeDefined();
    expect(crm.fake.webToLeads.map((l) => l.email).sort()).toEqual([coldEmail, hotEmail].sort());
    expect(crm.fake.pipedriveLeads.length).toBe(pipedriveExpected);
    expect(crm.fake.pipedrivePersons.some((p) => p.email[0]?.value === hotEmail)).toBe(true);
  });
});
