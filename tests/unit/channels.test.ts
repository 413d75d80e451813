import { describe, expect, it } from "vitest";
import { ChannelRuleSchema, channelOf, DEFAULT_CHANNEL_RULES } from "../../shared/channels.ts";
import { SiteSchema } from "../../shared/config.ts";
import type { Touch } from "../../shared/signals.ts";
import { demoSite } from "../../shared/sites/demo.ts";

function touch(query: string, referrer?: string): Touch {
  const url = new URL(`https://www.acme.example/landing${query}`);
  const t: Touch = { landingPage: url.href, at: "2026-11-20T10:00:00.000Z" };
  for (const key of ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const) {
    const v = url.searchParams.get(key);
    if (v) t[key] = v;
  }
  const clickIds: Record<string, string> = {};
  for (const id of ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid", "li_fat_id"]) {
    const v = url.searchParams.get(id);
    if (v) clickIds[id] = v;
  }
  if (Object.keys(clickIds).length) t.clickIds = clickIds;
  if (referrer) t.referrer = referrer;
  return t;
}

describe("default channel grouping", () => {
  it.each([
    ["?gclid=abc", undefined, "paid_search"],
    ["?msclkid=abc&utm_source=bing", undefined, "paid_search"],
    ["?utm_source=google&utm_medium=cpc&utm_campaign=brand", undefined, "paid_search"],
    ["?fbclid=xyz", "https://l.facebook.com/", "paid_social"],
    ["?utm_source=linkedin&utm_medium=paid_social", undefined, "paid_social"],
    ["?li_fat_id=1", undefined, "paid_social"],
    ["?utm_source=newsletter&utm_medium=email&utm_campaign=launch", undefined, "email"],
    ["?utm_source=gdn&utm_medium=display", undefined, "display"],
    ["?utm_source=partnerco&utm_medium=affiliate", undefined, "affiliate"],
    ["?utm_source=linkedin&utm_medium=social&utm_campaign=q4-webinar", undefined, "content"],
    ["?utm_source=apollo&utm_medium=outbound", undefined, "outbound"],
    ["", "https://www.youtube.com/watch?v=1", "video"],
    ["?utm_source=linkedin&utm_medium=social", undefined, "organic_social"],
    ["", "https://t.co/abc", "organic_social"],
    ["", "https://www.google.com/", "organic_search"],
    ["", "https://duckduckgo.com/", "organic_search"],
    ["", "https://blog.somewhere.example/post", "referral"],
    ["", undefined, "direct"],
    ["?utm_source=mystery&utm_medium=carrier-pigeon", undefined, "other"],
  ])("%s from %s → %s", (query, referrer, expected) => {
    expect(channelOf(touch(query, referrer))).toBe(expected);
  });

  it("gives a direct visit to a trial sign-up form the product channel", () => {
    expect(channelOf(touch(""), DEFAULT_CHANNEL_RULES, { formIntent: "trial" })).toBe("product");
    expect(channelOf(touch(""), DEFAULT_CHANNEL_RULES, { formIntent: "contact" })).toBe("direct");
  });

  it("lets a site put its own rules first", () => {
    const rules = [
      { channel: "events", when: [{ on: "utm_medium" as const, op: "eq" as const, value: "booth" }] },
      ...DEFAULT_CHANNEL_RULES,
    ];
    expect(channelOf(touch("?utm_source=expo&utm_medium=booth"), rules)).toBe("events");
    expect(SiteSchema.parse({ ...demoSite, channels: rules }).channels[0]?.channel).toBe("events");
  });

  it("refuses a rule with an invalid regular expression and accepts the defaults", () => {
    expect(
      ChannelRuleSchema.safeParse({ channel: "x", when: [{ on: "utm_source", op: "matches", value: "([" }] })
        .success,
    ).toBe(false);
    for (const rule of DEFAULT_CHANNEL_RULES) expect(ChannelRuleSchema.safeParse(rule).success).toBe(true);
  });
});
