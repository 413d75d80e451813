/**
 * The shape of write-only secrets (shared/secrets.ts): which fields of a config are secrets, how one
 * is masked, and what a reference or a sealed value looks like. The crypto and the API are tested
 * inside workerd (tests/edge/secrets.test.ts).
 */
import { describe, expect, it } from "vitest";
import { SiteSchema } from "../../shared/config.ts";
import {
  addressChanged,
  isMasked,
  isReference,
  isSealed,
  MASK,
  maskOf,
  secretSlots,
} from "../../shared/secrets.ts";
import { demoSite } from "../../shared/sites/demo.ts";

describe("secret masks", () => {
  it("show the last four characters of a long secret, none of a short one or an unreadable one", () => {
    expect(maskOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBe("••••LaSw");
    expect(maskOf("short-token")).toBe(MASK);
    expect(maskOf(undefined)).toBe(MASK);
    expect(isMasked(maskOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))).toBe(true);
    expect(isMasked("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toBe(false);
  });

  it("tell references and sealed values from secrets", () => {
    expect(isReference("${HUBSPOT_TOKEN}")).toBe(true);
    expect(isReference("Bearer ${API_KEY}")).toBe(true);
    expect(isReference("$HUBSPOT_TOKEN")).toBe(false);
    expect(isReference("pat-na1-0000")).toBe(false);
    expect(isSealed("enc:v1:abcdefgh:AAAA")).toBe(true);
    expect(isSealed("whsec_x")).toBe(false);
  });
});

describe("secretSlots", () => {
  const config = {
    id: "s",
    forms: [{ id: "contact", bot: { turnstileSecret: "ts-secret" } }, { id: "plain" }],
    destinations: [
      {
        id: "hook",
        type: "webhook",
        url: "https://h.example",
        secret: "whsec_a",
        headers: { "x-key": "k", e: "" },
      },
      { id: "slack", type: "slack", url: "https://hooks.slack.com/services/T/B/X", mention: "<!here>" },
      { id: "sf", type: "salesforce", api: "rest", clientId: "id", clientSecret: "cs", refreshToken: "rt" },
      { id: "pd", type: "pipedrive", token: "${PIPEDRIVE_TOKEN}" },
      { id: "hs", type: "hubspot", portalId: "123" },
    ],
  };

  it("finds every secret field by a key that survives reordering, and its path for errors", () => {
    const slots = secretSlots(config);
    expect(slots.map((s) => [s.path, s.key, s.holder[s.field]])).toEqual([
      ["destinations.0.secret", "hook secret", "whsec_a"],
      ["destinations.0.headers.x-key", "hook headers x-key", "k"],
      ["destinations.1.url", "slack url", "https://hooks.slack.com/services/T/B/X"],
      ["destinations.2.refreshToken", "sf refreshToken", "rt"],
      ["destinations.2.clientSecret", "sf clientSecret", "cs"],
      ["destinations.3.token", "pd token", "${PIPEDRIVE_TOKEN}"],
      ["forms.0.bot.turnstileSecret", "form contact", "ts-secret"],
    ]);
    const reordered = secretSlots({ ...config, destinations: [...config.destinations].reverse() });
    expect(reordered.find((s) => s.key === "hook secret")?.path).toBe("destinations.4.secret");
  });

  it("covers every secret-bearing field of the schema: none of the demo config's text is missed", () => {
    // The demo config names its secrets as references; every one of them is a slot.
    const demo = SiteSchema.parse(demoSite);
    const values = secretSlots(demo).map((s) => s.holder[s.field]);
    expect(values).toContain("${DEMO_WEBHOOK_SECRET}");
  });

  it("sees an address change (the kept secrets of a destination must then be typed again)", () => {
    const hook = config.destinations[0]!;
    expect(addressChanged(hook, { ...hook, headers: {} })).toBe(false);
    expect(addressChanged(hook, { ...hook, url: "https://evil.example" })).toBe(true);
    expect(addressChanged(hook, { ...hook, type: "slack" })).toBe(true);
  });
});
