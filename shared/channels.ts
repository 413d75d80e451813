/**
 * Channels: where a touch came from, derived at the edge from its UTM values, click ids and referrer
 * by the site's channel rules — ordered data the marketer can edit; the first rule that matches
 * wins. The defaults follow the common default channel grouping. Pure: the console's "test a URL"
 * box runs the same code.
 */
import * as z from "zod/mini";
import type { FormIntent } from "./config.ts";
import type { Touch } from "./signals.ts";

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, "i");
    return true;
  } catch {
    return false;
  }
}

/** What a channel condition can look at. */
export const CHANNEL_SIGNALS = [
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_content",
  "utm_term",
  /** Names of the click ids on the touch (gclid, fbclid, …): `in` / `exists`. */
  "clickId",
  /** Host of the referrer, without `www.`. */
  "referrerHost",
  /** Path of the landing page. */
  "landingPath",
  /** Intent of the form the lead filled (product sign-ups are the `trial` intent). */
  "formIntent",
] as const;
export type ChannelSignal = (typeof CHANNEL_SIGNALS)[number];

export const ChannelConditionSchema = z
  .object({
    on: z.enum(CHANNEL_SIGNALS),
    /** `matches` is a case-insensitive regular expression; `missing` holds when the signal is absent. */
    op: z.enum(["eq", "in", "matches", "exists", "missing"]),
    value: z.optional(
      z.union([z.string().check(z.maxLength(500)), z.array(z.string().check(z.maxLength(200)))]),
    ),
  })
  .check(
    z.refine((c) => c.op !== "matches" || (typeof c.value === "string" && isRegExp(c.value)), {
      message: "matches needs a valid regular expression",
      path: ["value"],
    }),
  );
export type ChannelCondition = z.infer<typeof ChannelConditionSchema>;

export const ChannelRuleSchema = z.object({
  /** The channel id, e.g. `paid_search`; free text so a marketer can add their own. */
  channel: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,40}$/)),
  /** Every condition must hold (AND). Several rules for one channel give OR. */
  when: z.array(ChannelConditionSchema).check(z.minLength(1), z.maxLength(10)),
});
export type ChannelRule = z.infer<typeof ChannelRuleSchema>;

/** The channel a touch gets when no rule matches. Never nothing. */
export const OTHER_CHANNEL = "other";

export const CHANNEL_LABELS: Record<string, string> = {
  paid_search: "Paid search",
  organic_search: "Organic search",
  paid_social: "Paid social",
  organic_social: "Organic social",
  email: "Email",
  affiliate: "Affiliate / partner",
  referral: "Referral",
  display: "Display",
  video: "Video",
  content: "Content",
  product: "Product",
  outbound: "Outbound",
  direct: "Direct",
  other: "Other",
};

const SEARCH =
  "(^|\\.)(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|brave|qwant|naver|seznam|startpage|ask|search)\\.";
const SOCIAL =
  "(^|\\.)(facebook|fb|instagram|linkedin|lnkd|twitter|x|t|tiktok|reddit|pinterest|threads|mastodon|bsky|snapchat|whatsapp|telegram|quora|xing|vk|weibo)\\.";
const SOCIAL_SOURCE =
  "^(facebook|fb|instagram|ig|linkedin|twitter|x|tiktok|reddit|pinterest|threads|snapchat|xing|meta)$";
const SEARCH_SOURCE = "^(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|brave|adwords|microsoft)$";
const VIDEO = "(^|\\.)(youtube|youtu|vimeo|twitch|dailymotion|wistia)\\.";
const PAID_MEDIUM = "^(cpc|ppc|paid|paidsearch|paid_search|paid-search|sem|retargeting)$";
const PAID_SOCIAL_MEDIUM = "^(cpc|ppc|paid|paidsocial|paid_social|paid-social|social_paid|social-paid)$";

/** The default grouping, in order. */
export const DEFAULT_CHANNEL_RULES: ChannelRule[] = [
  {
    channel: "paid_search",
    when: [{ on: "clickId", op: "in", value: ["gclid", "gbraid", "wbraid", "msclkid"] }],
  },
  {
    channel: "paid_search",
    when: [
      { on: "utm_medium", op: "matches", value: PAID_MEDIUM },
      { on: "utm_source", op: "matches", value: SEARCH_SOURCE },
    ],
  },
  { channel: "paid_social", when: [{ on: "clickId", op: "in", value: ["fbclid", "ttclid", "li_fat_id"] }] },
  {
    channel: "paid_social",
    when: [
      { on: "utm_medium", op: "matches", value: PAID_SOCIAL_MEDIUM },
      { on: "utm_source", op: "matches", value: SOCIAL_SOURCE },
    ],
  },
  {
    channel: "display",
    when: [
      {
        on: "utm_medium",
        op: "matches",
        value: "^(display|banner|cpm|expandable|interstitial|programmatic)$",
      },
    ],
  },
  {
    channel: "outbound",
    when: [
      {
        on: "utm_medium",
        op: "matches",
        value: "^(outbound|outreach|sales|sdr|prospecting|cold[-_ ]?email)$",
      },
    ],
  },
  {
    channel: "content",
    when: [
      { on: "utm_campaign", op: "matches", value: "(webinar|download|ebook|e-book|whitepaper|report|guide)" },
    ],
  },
  { channel: "content", when: [{ on: "utm_medium", op: "matches", value: "^(content|webinar|download)$" }] },
  { channel: "email", when: [{ on: "utm_medium", op: "matches", value: "^(e[-_ ]?mail|newsletter)$" }] },
  {
    channel: "email",
    when: [
      {
        on: "utm_source",
        op: "matches",
        value: "^(e[-_ ]?mail|newsletter|mailchimp|hubspot_email|sendgrid)$",
      },
    ],
  },
  {
    channel: "affiliate",
    when: [{ on: "utm_medium", op: "matches", value: "^(affiliate|affiliates|partner|partners)$" }],
  },
  { channel: "video", when: [{ on: "utm_medium", op: "matches", value: "video" }] },
  { channel: "video", when: [{ on: "referrerHost", op: "matches", value: VIDEO }] },
  {
    channel: "organic_social",
    when: [
      {
        on: "utm_medium",
        op: "matches",
        value: "^(social|social-network|social-media|sm|social_network|social_media)$",
      },
    ],
  },
  { channel: "organic_social", when: [{ on: "utm_source", op: "matches", value: SOCIAL_SOURCE }] },
  { channel: "organic_social", when: [{ on: "referrerHost", op: "matches", value: SOCIAL }] },
  { channel: "organic_search", when: [{ on: "utm_medium", op: "eq", value: "organic" }] },
  { channel: "organic_search", when: [{ on: "referrerHost", op: "matches", value: SEARCH }] },
  { channel: "referral", when: [{ on: "utm_medium", op: "eq", value: "referral" }] },
  {
    channel: "referral",
    when: [
      { on: "utm_source", op: "missing" },
      { on: "referrerHost", op: "exists" },
    ],
  },
  // A trial sign-up with no campaign and no referrer came from the product itself.
  {
    channel: "product",
    when: [
      { on: "formIntent", op: "eq", value: "trial" },
      { on: "utm_source", op: "missing" },
      { on: "referrerHost", op: "missing" },
    ],
  },
  {
    channel: "direct",
    when: [
      { on: "utm_source", op: "missing" },
      { on: "referrerHost", op: "missing" },
      { on: "clickId", op: "missing" },
    ],
  },
];

export interface ChannelContext {
  formIntent?: FormIntent;
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "") || undefined;
  } catch {
    return undefined;
  }
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function signalValues(touch: Touch, on: ChannelSignal, context: ChannelContext): string[] {
  let value: string | undefined;
  switch (on) {
    case "clickId":
      return Object.keys(touch.clickIds ?? {}).filter((k) => touch.clickIds?.[k]);
    case "referrerHost":
      value = hostOf(touch.referrer);
      break;
    case "landingPath":
      value = pathOf(touch.landingPage);
      break;
    case "formIntent":
      value = context.formIntent;
      break;
    default:
      value = touch[on];
  }
  value = value?.trim().toLowerCase();
  return value ? [value] : [];
}

const regexCache = new Map<string, RegExp | null>();
function regex(source: string): RegExp | null {
  let re = regexCache.get(source);
  if (re === undefined) {
    try {
      re = new RegExp(source, "i");
    } catch {
      re = null; // An invalid rule never matches (the schema refuses them; this is for old data).
    }
    regexCache.set(source, re);
  }
  return re;
}

export function conditionHolds(
  touch: Touch,
  condition: ChannelCondition,
  context: ChannelContext = {},
): boolean {
  const values = signalValues(touch, condition.on, context);
  const expected = condition.value;
  switch (condition.op) {
    case "exists":
      return values.length > 0;
    case "missing":
      return values.length === 0;
    case "eq":
      return typeof expected === "string" && values.includes(expected.toLowerCase());
    case "in":
      return Array.isArray(expected) && values.some((v) => expected.some((e) => e.toLowerCase() === v));
    case "matches": {
      const re = typeof expected === "string" ? regex(expected) : null;
      return !!re && values.some((v) => re.test(v));
    }
  }
}

/** The channel of a touch: the first rule whose conditions all hold, else `other`. */
export function channelOf(
  touch: Touch,
  rules: readonly ChannelRule[] = DEFAULT_CHANNEL_RULES,
  context: ChannelContext = {},
): string {
  for (const rule of rules) {
    if (rule.when.every((condition) => conditionHolds(touch, condition, context))) return rule.channel;
  }
  return OTHER_CHANNEL;
}
