/**
 * Secrets are write-only (shared/secrets.ts, edge/src/secrets.ts), in workerd with the real D1 and
 * the loopback receiver: a raw `whsec_` secret, an API key header and a Turnstile secret saved through
 * the admin API are never answered (config, versions, rollback, destinations, deliveries, exports),
 * never logged and never delivered, while deliveries are still signed with them; a mask sent back
 * keeps a secret, a new value replaces it, and at rest they are ciphertext.
 */
import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { app } from "../../edge/src/app.ts";
import type { Env } from "../../edge/src/env.ts";
import { masked, open, seal } from "../../edge/src/secrets.ts";
import { type SiteConfig, SiteSchema } from "../../shared/config.ts";
import { maskOf } from "../../shared/secrets.ts";
import { demoSite } from "../../shared/sites/demo.ts";
import { endpoint, received, receiverSecret } from "./delivery-support.ts";
import { ALLOWED_ORIGIN, adminHeaders, EDGE, eventually, postLead, submission, unique } from "./helpers.ts";
import { TURNSTILE_TEST_SECRETS } from "./siteverify.ts";

const randomBase64 = (bytes: number) =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
const newSecret = () => `whsec_${randomBase64(24)}`;

function send(method: string, path: string, body?: unknown) {
  return exports.default.fetch(
    new Request(`${EDGE}${path}`, {
      method,
      headers: { ...adminHeaders, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/** Every line the code under test logged while these tests ran. */
const logged: string[] = [];
const text = (value: unknown): string =>
  value instanceof Error
    ? `${value.message}\n${value.stack}`
    : typeof value === "string"
      ? value
      : JSON.stringify(value);
beforeAll(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(text).join(" "));
      original(...args);
    });
  }
});
afterAll(() => vi.restoreAllMocks());

interface Answer {
  status: number;
  body: string;
}
async function answer(res: Response | Promise<Response>): Promise<Answer> {
  const r = await res;
  return { status: r.status, body: await r.text() };
}

/** A site like the demo one, with a signed webhook (and an API key header) and a Turnstile secret. */
function siteConfig(id: string, hook: { url: string; secret: string; apiKey: string }): SiteConfig {
  const demo = SiteSchema.parse(demoSite);
  return {
    ...demo,
    id,
    name: `Secrets ${id}`,
    allowedOrigins: [ALLOWED_ORIGIN],
    forms: demo.forms.map((f) =>
      f.id === "contact" ? { ...f, bot: { turnstileSecret: TURNSTILE_TEST_SECRETS.pass } } : f,
    ),
    destinations: [
      {
        id: "hook",
        type: "webhook",
        url: hook.url,
        secret: hook.secret,
        headers: { "x-api-key": hook.apiKey },
      },
      // Its variable is unset: skipped with a log line (so the log capture is seen to work).
      { id: "unset", type: "pipedrive", token: "${UNSET_PIPEDRIVE_TOKEN}" },
    ],
    routing: undefined,
  };
}

const storedRows = async (site: string) =>
  (
    await env.DB.prepare("SELECT config FROM site_configs WHERE site = ?1 ORDER BY version")
      .bind(site)
      .all<{ config: string }>()
  ).results.map((r) => r.config);

/** Posts a lead to the site's contact form and waits for the receiver to get its delivery. */
async function deliveredLead(site: string, name: string, count: number) {
  const res = await postLead({ ...submission({ site }), turnstileToken: "a-token" });
  expect(res.status).toBe(201);
  const { leadId } = (await res.json()) as { leadId: string };
  return eventually(async () => {
    const got = await received(name);
    return got.length >= count ? { got, leadId } : undefined;
  });
}

describe("secrets are write-only", () => {
  it("never answers, logs or delivers a raw whsec_ secret, and still signs with it", async () => {
    const id = unique("sec-");
    const target = endpoint("sec");
    // The receiver's own secret, so it verifies (and accepts) what it is sent.
    const secret = receiverSecret();
    const apiKey = `key_${randomBase64(18)}`;
    const turnstile = TURNSTILE_TEST_SECRETS.pass;
    const secrets = [secret, apiKey, turnstile];
    const answers: Answer[] = [];
    const check = async (res: Response | Promise<Response>, status = 200) => {
      const a = await answer(res);
      answers.push(a);
      expect(a.status, a.body).toBe(status);
      return JSON.parse(a.body);
    };

    const created = await check(
      send("POST", "/v1/admin/sites", { config: siteConfig(id, { url: target.url, secret, apiKey }) }),
      201,
    );
    // Masked with their last characters, and the schema's shape (a string) kept.
    expect(created.config.destinations[0].secret).toBe(`••••${secret.slice(-4)}`);
    expect(created.config.destinations[0].headers["x-api-key"]).toBe(`••••${apiKey.slice(-4)}`);
    expect(created.config.forms.find((f: { id: string }) => f.id === "contact").bot.turnstileSecret).toBe(
      `••••${turnstile.slice(-4)}`,
    );
    // References name a secret, they are not one: shown as written.
    const served = await check(send("GET", `/v1/admin/sites/${id}/config`));
    expect(served.config).toEqual(created.config);

    // The console's save: the config as read, masks and all, with one unrelated change.
    const echoed = await check(
      send("PUT", `/v1/admin/sites/${id}/config`, {
        baseVersion: 1,
        config: { ...served.config, name: "Renamed" },
      }),
    );
    expect(echoed.version).toBe(2);
    await check(send("GET", `/v1/admin/sites/${id}/config/versions`));
    await check(send("GET", `/v1/admin/sites/${id}/config/versions/1`));
    await check(send("GET", `/v1/admin/sites/${id}/config/versions/2`));
    await check(send("POST", `/v1/admin/sites/${id}/config/rollback`, { version: 1, baseVersion: 2 }));
    await check(send("POST", `/v1/admin/sites/${id}/allowed-origins`, { origin: ALLOWED_ORIGIN }));

    // At rest: ciphertext, never the secret.
    const rows = await storedRows(id);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatch(/"secret":"enc:v1:[\w-]{8}:[\w-]+"/);
      for (const s of secrets) expect(row).not.toContain(s);
    }

    // A lead passes Turnstile (the secret was opened for it) and its delivery is signed with the secret.
    const { got, leadId } = await deliveredLead(id, target.name, 1);
    const [delivery] = got;
    expect(new Webhook(secret).verify(delivery!.body, delivery!.headers)).toMatchObject({
      type: "lead.created",
    });
    expect(delivery!.headers["x-api-key"]).toBe(apiKey);
    const test = await check(send("POST", `/v1/admin/destinations/hook/test?site=${id}`));
    expect(test.ok).toBe(true);
    const afterTest = await received(target.name);
    const testDelivery = afterTest.find((d) => d.id === test.webhookId)!;
    expect(new Webhook(secret).verify(testDelivery.body, testDelivery.headers)).toMatchObject({
      type: "lead.test",
    });

    await check(send("GET", `/v1/admin/destinations?site=${id}`));
    await check(send("GET", `/v1/admin/destinations/hook?site=${id}`));
    const deliveries = await eventually(async () => {
      const page = await check(send("GET", `/v1/admin/deliveries?site=${id}`));
      return page.deliveries.length ? page : undefined;
    });
    const first = deliveries.deliveries[0];
    await check(send("GET", `/v1/admin/deliveries/${first.id}`));
    answers.push(await answer(send("GET", `/v1/admin/leads.csv?site=${id}`)));
    const lead = await check(send("GET", `/v1/admin/leads/${leadId}?site=${id}`));
    await check(send("GET", `/v1/admin/people/${encodeURIComponent(lead.email)}/export?site=${id}`));
    answers.push(await answer(send("GET", `/v1/sites/${id}/forms/contact`)));

    expect(logged.some((line) => line.includes(`${id}/unset skipped`))).toBe(true);
    for (const s of secrets) {
      for (const a of answers) expect(a.body).not.toContain(s);
      for (const line of logged) expect(line).not.toContain(s);
      for (const d of afterTest) expect(d.body).not.toContain(s);
    }
  });

  it("keeps a secret sent back masked, replaces it with a new one, and refuses masks it did not hand out", async () => {
    const id = unique("sec-");
    const target = endpoint("sec");
    const first = newSecret();
    const apiKey = `key_${randomBase64(18)}`;
    await answer(
      send("POST", "/v1/admin/sites", { config: siteConfig(id, { url: target.url, secret: first, apiKey }) }),
    );
    const served = JSON.parse((await answer(send("GET", `/v1/admin/sites/${id}/config`))).body);
    const hook = served.config.destinations[0];

    // A mask where nothing is saved, a mask edited, a sealed value sent in: typed secrets are asked for.
    const refused = await answer(
      send("PUT", `/v1/admin/sites/${id}/config`, {
        baseVersion: 1,
        config: {
          ...served.config,
          destinations: [
            { ...hook, secret: `${hook.secret}x` },
            { id: "other", type: "pipedrive", token: "••••abcd" },
            {
              id: "copied",
              type: "hubspot",
              token: JSON.parse((await storedRows(id))[0]!).destinations[0].secret,
            },
          ],
        },
      }),
    );
    expect(refused.status).toBe(400);
    expect(Object.keys(JSON.parse(refused.body).error.fields).sort()).toEqual([
      "destinations.0.secret",
      "destinations.1.token",
      "destinations.2.token",
    ]);

    // A kept API key is not sent to a new address; the signing secret (it never leaves) may stay.
    const moved = await answer(
      send("PUT", `/v1/admin/sites/${id}/config`, {
        baseVersion: 1,
        config: { ...served.config, destinations: [{ ...hook, url: `${target.url}-moved` }] },
      }),
    );
    expect(moved.status).toBe(400);
    expect(Object.keys(JSON.parse(moved.body).error.fields)).toEqual(["destinations.0.headers.x-api-key"]);

    // The mask sent back keeps it: deliveries still verify with the first secret.
    const kept = await answer(
      send("PUT", `/v1/admin/sites/${id}/config`, { baseVersion: 1, config: served.config }),
    );
    expect(kept.status).toBe(200);
    let { got } = await deliveredLead(id, target.name, 1);
    expect(new Webhook(first).verify(got[0]!.body, got[0]!.headers)).toBeTruthy();

    // A new value replaces it (and only it: the API key, sent back masked, is kept).
    const second = newSecret();
    const replaced = JSON.parse(
      (
        await answer(
          send("PUT", `/v1/admin/sites/${id}/config`, {
            baseVersion: 2,
            config: { ...served.config, destinations: [{ ...hook, secret: second }] },
          }),
        )
      ).body,
    );
    expect(replaced.config.destinations[0].secret).toBe(maskOf(second));
    ({ got } = await deliveredLead(id, target.name, 2));
    const latest = got.at(-1)!;
    expect(new Webhook(second).verify(latest.body, latest.headers)).toBeTruthy();
    expect(() => new Webhook(first).verify(latest.body, latest.headers)).toThrow();
    expect(latest.headers["x-api-key"]).toBe(apiKey);

    // `${NAME}` references stay as written, in the store and in answers.
    const withReference = JSON.parse(
      (
        await answer(
          send("PUT", `/v1/admin/sites/${id}/config`, {
            baseVersion: 3,
            config: { ...served.config, destinations: [{ ...hook, secret: "${DEMO_WEBHOOK_SECRET}" }] },
          }),
        )
      ).body,
    );
    expect(withReference.config.destinations[0].secret).toBe("${DEMO_WEBHOOK_SECRET}");
    const rows = await storedRows(id);
    expect(rows).toHaveLength(4);
    expect(rows.at(-1)).toContain('"secret":"${DEMO_WEBHOOK_SECRET}"');
    for (const row of rows) for (const s of [first, second, apiKey]) expect(row).not.toContain(s);
  });
});

describe("the key", () => {
  const key = () => randomBase64(32);
  const production = (vars: Record<string, string>) =>
    ({ ...env, ENVIRONMENT: "production", LEADCAP_SECRETS_KEY: "", ...vars }) as unknown as Env;

  it("refuses raw secrets in production without a key, saying what to do; references need none", async () => {
    const e = production({});
    const config = siteConfig(unique("sec-"), {
      url: "https://hooks.example.com/x",
      secret: newSecret(),
      apiKey: "k",
    });
    const save = (body: SiteConfig) =>
      app.fetch(
        new Request(`${EDGE}/v1/admin/sites`, {
          method: "POST",
          headers: { ...adminHeaders, "content-type": "application/json" },
          body: JSON.stringify({ config: body }),
        }),
        e,
        { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext,
      );
    const res = await save(config);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(body.error.fields["destinations.0.secret"]).toMatch(/LEADCAP_SECRETS_KEY/);
    const references = await save({
      ...config,
      forms: config.forms.map((f) => ({ ...f, bot: undefined })),
      destinations: [
        { id: "hook", type: "webhook", url: "https://hooks.example.com/x", secret: "${HOOK_SECRET}" },
      ],
    });
    expect(references.status).toBe(201);
  });

  it("moves kept secrets onto the new key at the next save after a rotation", async () => {
    const [a, b] = [key(), key()];
    const call = (vars: Record<string, string>, method: string, path: string, body: unknown) =>
      app.fetch(
        new Request(`${EDGE}${path}`, {
          method,
          headers: { ...adminHeaders, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        production(vars),
        { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext,
      );
    const id = unique("sec-");
    const secret = newSecret();
    const config = siteConfig(id, { url: "https://hooks.example.com/x", secret, apiKey: "key-0123456789" });
    const created = await call({ LEADCAP_SECRETS_KEY: a }, "POST", "/v1/admin/sites", { config });
    expect(created.status).toBe(201);
    const { config: shown } = (await created.json()) as { config: SiteConfig };
    const echoed = await call({ LEADCAP_SECRETS_KEY: `${b} ${a}` }, "PUT", `/v1/admin/sites/${id}/config`, {
      baseVersion: 1,
      config: shown,
    });
    expect(echoed.status).toBe(200);
    const [before, after] = (await storedRows(id)).map(
      (row) => (JSON.parse(row) as SiteConfig).destinations[0] as { secret: string },
    );
    expect(before!.secret.split(":")[2]).not.toBe(after!.secret.split(":")[2]);
    expect(await open(after!.secret, id, production({ LEADCAP_SECRETS_KEY: b }))).toBe(secret);
  });

  it("seals with the first key listed, opens with any listed, only for its own site, with a fresh IV", async () => {
    const [a, b] = [key(), key()];
    const sealed = (await seal("whsec_x", "s1", production({ LEADCAP_SECRETS_KEY: a })))!;
    expect(sealed).toMatch(/^enc:v1:[\w-]{8}:[\w-]+$/);
    expect(await seal("whsec_x", "s1", production({ LEADCAP_SECRETS_KEY: a }))).not.toBe(sealed);
    // Rotation: the new key first, the old one still opens what it sealed.
    expect(await open(sealed, "s1", production({ LEADCAP_SECRETS_KEY: `${b} ${a}` }))).toBe("whsec_x");
    const resealed = (await seal("whsec_x", "s1", production({ LEADCAP_SECRETS_KEY: `${b} ${a}` })))!;
    expect(resealed.split(":")[2]).not.toBe(sealed.split(":")[2]);
    await expect(open(sealed, "s1", production({ LEADCAP_SECRETS_KEY: b }))).rejects.toThrow(
      /LEADCAP_SECRETS_KEY/,
    );
    await expect(open(sealed, "s2", production({ LEADCAP_SECRETS_KEY: a }))).rejects.toThrow();
    expect(await seal("whsec_x", "s1", production({}))).toBeUndefined();
    // Masked without a key that opens it: no characters given away.
    const config = { id: "s1", destinations: [{ id: "h", type: "webhook", url: "u", secret: sealed }] };
    expect((await masked(config, production({}))).destinations[0]!.secret).toBe("••••");
  });
});
