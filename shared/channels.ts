/**
 * Channels: where a touch came from, derived at the edge from its UTM values, click ids and referrer
 * by the site's channel rules — ordered data the marketer can edit; the first rule that matches
 * wins. The defaults follow the common default channel grouping. Pure: the console's "test a URL"
 * box runs the same code.
 */
import * as z from "zod/mini";
import type { FormIntent } from "./config.ts";
import { allHold, conditionShape, isRegExp, MATCHES_FLAGS, valueCheck } from "./rules.ts";
import type { Touch } from "./signals.ts";

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

/**
 * A channel condition: the one condition language (shared/rules.ts) on a touch's signals. Stored
 * configs may have the first shape, `{ on, op, value }` with the ops eq, in, matches, exists and
 * missing: it is still accepted, checked as it always was, and read as `{ signal: on, op, value }`
 * (a value given to exists or missing was ignored, so it is dropped).
 */
const LegacyChannelConditionSchema = z.pipe(
  z
    .object({
      on: z.enum(CHANNEL_SIGNALS),
      op: z.enum(["eq", "in", "matches", "exists", "missing"]),
      value: z.optional(
        z.union([z.string().check(z.maxLength(500)), z.array(z.string().check(z.maxLength(200)))]),
      ),
    })
    .check(
      z.refine(
        (c) => c.op !== "matches" || (typeof c.value === "string" && isRegExp(c.value, MATCHES_FLAGS)),
        {
          message: "matches needs a valid regular expression",
          path: ["value"],
        },
      ),
    ),
  z.transform(
    ({ on, op, value }): ChannelCondition =>
      value === undefined || op === "exists" || op === "missing"
        ? { signal: on, op }
        : { signal: on, op, value },
  ),
);

const CurrentChannelConditionSchema = conditionShape(z.enum(CHANNEL_SIGNALS)).check(valueCheck);
export type ChannelCondition = z.infer<typeof CurrentChannelConditionSchema>;

export const ChannelConditionSchema = z.union([CurrentChannelConditionSchema, LegacyChannelConditionSchema]);
/** A condition as written: the current shape, or the first one (`on` for `signal`). */
export type ChannelConditionInput = z.input<typeof ChannelConditionSchema>;

export const ChannelRuleSchema = z.object({
  /** The channel id, e.g. `paid_search`; free text so a marketer can add their own. */
  channel: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,40}$/)),
  /** Every condition must hold (AND). Several rules for one channel give OR. */
  when: z.array(ChannelConditionSchema).check(z.minLength(1), z.maxLength(10)),
});
export type ChannelRule = z.infer<typeof ChannelRuleSchema>;
export type ChannelRuleInput = z.input<typeof ChannelRuleSchema>;

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
    when: [{ signal: "clickId", op: "in", value: ["gclid", "gbraid", "wbraid", "msclkid"] }],
  },
  {
    channel: "paid_search",
    when: [
      { signal: "utm_medium", op: "matches", value: PAID_MEDIUM },
      { signal: "utm_source", op: "matches", value: SEARCH_SOURCE },
    ],
  },
  {
    channel: "paid_social",
    when: [{ signal: "clickId", op: "in", value: ["fbclid", "ttclid", "li_fat_id"] }],
  },
  {
    channel: "paid_social",
    when: [
      { signal: "utm_medium", op: "matches", value: PAID_SOCIAL_MEDIUM },
      { signal: "utm_source", op: "matches", value: SOCIAL_SOURCE },
    ],
  },
  {
    channel: "display",
    when: [
      {
        signal: "utm_medium",
        op: "matches",
        value: "^(display|banner|cpm|expandable|interstitial|programmatic)$",
      },
    ],
  },
  {
    channel: "outbound",
    when: [
      {
        signal: "utm_medium",
        op: "matches",
        value: "^(outbound|outreach|sales|sdr|prospecting|cold[-_ ]?email)$",
      },
    ],
  },
  {
    channel: "content",
    when: [
      {
        signal: "utm_campaign",
        op: "matches",
        value: "(webinar|download|ebook|e-book|whitepaper|report|guide)",
      },
    ],
  },
  {
    channel: "content",
    when: [{ signal: "utm_medium", op: "matches", value: "^(content|webinar|download)$" }],
  },
  { channel: "email", when: [{ signal: "utm_medium", op: "matches", value: "^(e[-_ ]?mail|newsletter)$" }] },
  {
    channel: "email",
    when: [
      {
        signal: "utm_source",
        op: "matches",
        value: "^(e[-_ ]?mail|newsletter|mailchimp|hubspot_email|sendgrid)$",
      },
    ],
  },
  {
    channel: "affiliate",
    when: [{ signal: "utm_medium", op: "matches", value: "^(affiliate|affiliates|partner|partners)$" }],
  },
  { channel: "video", when: [{ signal: "utm_medium", op: "matches", value: "video" }] },
  { channel: "video", when: [{ signal: "referrerHost", op: "matches", value: VIDEO }] },
  {
    channel: "organic_social",
    when: [
      {
        signal: "utm_medium",
        op: "matches",
        value: "^(social|social-network|social-media|sm|social_network|social_media)$",
      },
    ],
  },
  { channel: "organic_social", when: [{ signal: "utm_source", op: "matches", value: SOCIAL_SOURCE }] },
  { channel: "organic_social", when: [{ signal: "referrerHost", op: "matches", value: SOCIAL }] },
  { channel: "organic_search", when: [{ signal: "utm_medium", op: "eq", value: "organic" }] },
  { channel: "organic_search", when: [{ signal: "referrerHost", op: "matches", value: SEARCH }] },
  { channel: "referral", when: [{ signal: "utm_medium", op: "eq", value: "referral" }] },
  {
    channel: "referral",
    when: [
      { signal: "utm_source", op: "missing" },
      { signal: "referrerHost", op: "exists" },
    ],
  },
  // A trial sign-up with no campaign and no referrer came from the product itself.
  {
    channel: "product",
    when: [
      { signal: "formIntent", op: "eq", value: "trial" },
      { signal: "utm_source", op: "missing" },
      { signal: "referrerHost", op: "missing" },
    ],
  },
  {
    channel: "direct",
    when: [
      { signal: "utm_source", op: "missing" },
      { signal: "referrerHost", op: "missing" },
      { signal: "clickId", op: "missing" },
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

/** The values of a channel signal: trimmed, lower-cased, empty ones left out (a click id's names). */
function signalValues(touch: Touch, signal: string, context: ChannelContext): string[] {
  let value: string | undefined;
  switch (signal) {
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
      value = (CHANNEL_SIGNALS as readonly string[]).includes(signal)
        ? touch[signal as Exclude<ChannelSignal, "clickId" | "referrerHost" | "landingPath" | "formIntent">]
        : undefined;
  }
  value = value?.trim().toLowerCase();
  return value ? [value] : [];
}

/** A condition as read: a stored or edited one in the first shape (`on`) means `signal`. */
function current(condition: ChannelConditionInput): ChannelCondition {
  if (!("on" in condition)) return condition;
  const { on, ...rest } = condition;
  return { ...rest, signal: on };
}

/** Whether one condition holds for a touch. */
export function conditionHolds(
  touch: Touch,
  condition: ChannelConditionInput,
  context: ChannelContext = {},
): boolean {
  return allHold([current(condition)], (signal) => signalValues(touch, signal, context));
}

/** The channel of a touch: the first rule whose conditions all hold, else `other`. */
export function channelOf(
  touch: Touch,
  rules: readonly ChannelRuleInput[] = DEFAULT_CHANNEL_RULES,
  context: ChannelContext = {},
): string {
  const read = (signal: string) => signalValues(touch, signal, context);
  for (const rule of rules) {
    if (allHold(rule.when.map(current), read)) return rule.channel;
  }
  return OTHER_CHANNEL;
}
