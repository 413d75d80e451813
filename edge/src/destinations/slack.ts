/**
 * Slack incoming webhook: a hot-lead alert a salesperson can act on from their phone — who, which
 * company, why hot (the score's top reasons), where they came from, and a link to the lead.
 * Format: https://api.slack.com/messaging/webhooks (a JSON `text` fallback plus Block Kit `blocks`);
 * Slack answers 200 `ok`, or 4xx with a reason (`invalid_blocks`, `no_service`, 410 `channel_is_archived`).
 */
import type { Destination } from "../../../shared/destinations.ts";
import type { Lead } from "../../../shared/lead.ts";
import { request, USER_AGENT } from "./http.ts";
import { sourceValue } from "./mapping.ts";
import type { DestinationAdapter } from "./types.ts";

type SlackDestination = Extract<Destination, { type: "slack" }>;

/** Slack's mrkdwn needs &, < and > escaped; everything else is shown as typed. */
const mrkdwn = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const EMOJI = { hot: "🔥", warm: "🌤️", cold: "❄️" } as const;
const HEADLINE: Record<string, string> = {
  "lead.created": "New",
  "lead.merged": "Returning",
  "lead.updated": "Updated",
  "lead.stage_changed": "Stage change:",
  "lead.test": "Test:",
};

/** Where the lead came from, in a line: channel · source / medium · campaign. */
export function sourceLine(lead: Lead): string {
  const t = lead.lastTouch;
  const parts = [
    t.channel?.replaceAll("_", " "),
    [t.utm_source, t.utm_medium].filter(Boolean).join(" / ") || undefined,
    t.utm_campaign ? `campaign “${t.utm_campaign}”` : undefined,
  ].filter(Boolean);
  if (parts.length) return parts.join(" · ");
  if (t.referrer) return `referral from ${new URL(t.referrer, "https://x").hostname}`;
  return "direct";
}

export function slackMessage(destination: SlackDestination, type: string, lead: Lead) {
  const name =
    [sourceValue(lead, "firstName"), sourceValue(lead, "lastName")].filter(Boolean).join(" ") || lead.email;
  const company = sourceValue(lead, "fields.company");
  const who = company ? `${name} (${company})` : name;
  const headline =
    `${EMOJI[lead.temperature]} ${HEADLINE[type] ?? ""} ${lead.temperature} lead: ${who}`.replace(
      /\s+/g,
      " ",
    );
  const why = [...lead.reasons]
    .filter((r) => r.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, 3)
    .map((r) => `• ${mrkdwn(r.label)} (+${r.points})`)
    .join("\n");
  const link = destination.leadUrl?.replaceAll("{id}", encodeURIComponent(lead.id));
  // The fallback `text` is mrkdwn (mentions and links work there), so what a visitor typed is escaped;
  // the header is plain_text, which Slack never parses.
  const fallback = mrkdwn(
    `${headline} — ${lead.email}, score ${lead.score}, ${lead.stage}, source ${sourceLine(lead)}`,
  );
  return {
    text: destination.mention ? `${destination.mention} ${fallback}` : fallback,
    blocks: [
      { type: "header", text: { type: "plain_text", text: clip(headline, 150), emoji: true } },
      {
        type: "section",
        fields: [
          {
            type: "mrkdwn",
            text: `*Who*\n${mrkdwn(clip(name, 200))}\n<mailto:${mrkdwn(lead.email)}|${mrkdwn(lead.email)}>`,
          },
          { type: "mrkdwn", text: `*Company*\n${mrkdwn(clip(company ?? "—", 200))}` },
          { type: "mrkdwn", text: `*Score*\n${lead.score} · ${lead.temperature} · ${lead.stage}` },
          { type: "mrkdwn", text: `*Source*\n${mrkdwn(clip(sourceLine(lead), 500))}` },
        ],
      },
      ...(why
        ? [
            {
              type: "section",
              text: { type: "mrkdwn", text: `*Why ${lead.temperature}*\n${clip(why, 2900)}` },
            },
          ]
        : []),
      ...(destination.mention
        ? [{ type: "context", elements: [{ type: "mrkdwn", text: destination.mention }] }]
        : []),
      ...(link
        ? [
            {
              type: "actions",
              elements: [
                {
                  type: "button",
                  text: { type: "plain_text", text: "Open lead" },
                  url: link,
                  style: "primary",
                },
              ],
            },
          ]
        : []),
    ],
  };
}

export const slack: DestinationAdapter<SlackDestination> = {
  async send(destination, event, context) {
    const { result } = await request(
      destination.url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": USER_AGENT },
        body: JSON.stringify(slackMessage(destination, event.type, event.lead)),
        timeoutMs: destination.timeoutMs,
      },
      context,
    );
    return result;
  },
};
