/**
 * Cost per lead from the marketer's spend: monthly amounts per channel (or campaign) prorated to a
 * date range, over the leads of that channel (or campaign). Pure; Metrics shows it.
 */

export interface SpendRow {
  month: string;
  channel: string;
  campaign?: string | undefined;
  amount: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/** The share of a month (YYYY-MM) inside the days [from, to] (both YYYY-MM-DD, both included). */
export function monthShare(month: string, from: string, to: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const first = Date.UTC(y, m - 1, 1) / DAY_MS;
  const next = Date.UTC(y, m, 1) / DAY_MS;
  const start = Math.max(first, dayNumber(from));
  const end = Math.min(next - 1, dayNumber(to));
  return end < start ? 0 : (end - start + 1) / (next - first);
}

/**
 * Spend in the range, by channel. Each month's amount counts for the share of its days in the range
 * (a 30-day range over two halves of months takes half of each). A channel's month is its row without
 * campaign (the channel's whole spend) when there is one, else the sum of its campaigns' rows.
 */
export function spendByChannel(spend: readonly SpendRow[], from: string, to: string): Map<string, number> {
  const months = new Map<string, { whole?: number; campaigns: number }>();
  for (const row of spend) {
    const key = `${row.channel}\u0000${row.month}`;
    const entry = months.get(key) ?? { campaigns: 0 };
    if (row.campaign) entry.campaigns += row.amount;
    else entry.whole = (entry.whole ?? 0) + row.amount;
    months.set(key, entry);
  }
  const out = new Map<string, number>();
  for (const [key, entry] of months) {
    const [channel, month] = key.split("\u0000") as [string, string];
    const share = monthShare(month, from, to);
    if (share === 0) continue;
    out.set(channel, (out.get(channel) ?? 0) + (entry.whole ?? entry.campaigns) * share);
  }
  return out;
}

/**
 * Spend in the range by campaign (rows that name one), keyed by the campaign's name in lower case: a
 * campaign is its utm_campaign, whatever channel its rows were entered under.
 */
export function spendByCampaign(spend: readonly SpendRow[], from: string, to: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of spend) {
    if (!row.campaign) continue;
    const share = monthShare(row.month, from, to);
    if (share === 0) continue;
    const key = row.campaign.toLowerCase();
    out.set(key, (out.get(key) ?? 0) + row.amount * share);
  }
  return out;
}

export interface CostRow {
  key: string;
  spend: number;
  leads: number;
  /** Spend ÷ leads; null without leads (spend with no lead is not a cost per lead of 0). */
  costPerLead: number | null;
}

/** Cost per lead for every channel (or campaign) that had spend or leads in the range. */
export function costPerLead(
  spendBy: Map<string, number>,
  leadsBy: { key: string; leads: number }[],
): CostRow[] {
  const leads = new Map(leadsBy.map((r) => [r.key, r.leads]));
  const keys = [...new Set([...spendBy.keys(), ...leads.keys()])];
  return keys
    .map((key) => {
      const s = spendBy.get(key) ?? 0;
      const n = leads.get(key) ?? 0;
      return { key, spend: s, leads: n, costPerLead: n > 0 ? s / n : null };
    })
    .filter((r) => r.spend > 0)
    .sort((a, b) => b.spend - a.spend);
}

export interface CampaignCost extends CostRow {
  /** The campaign as the spend rows name it. */
  campaign: string;
  /** The first-touch channels its leads came from (or, without leads, its spend rows name). */
  channels: string[];
}

/**
 * Cost per lead for every campaign with spend in the range: its spend over the leads whose first touch
 * had that utm_campaign (matched without regard to case, summed over the channels they came from).
 */
export function campaignCosts(
  spend: readonly SpendRow[],
  from: string,
  to: string,
  byCampaign: readonly { channel: string; campaign: string; leads: number }[],
): CampaignCost[] {
  const leads = new Map<string, { leads: number; channels: string[] }>();
  for (const row of byCampaign) {
    const key = row.campaign.toLowerCase();
    const entry = leads.get(key) ?? { leads: 0, channels: [] };
    entry.leads += row.leads;
    if (!entry.channels.includes(row.channel)) entry.channels.push(row.channel);
    leads.set(key, entry);
  }
  const names = new Map<string, { name: string; channels: string[] }>();
  for (const row of spend) {
    if (!row.campaign) continue;
    const key = row.campaign.toLowerCase();
    const entry = names.get(key) ?? { name: row.campaign, channels: [] };
    if (!entry.channels.includes(row.channel)) entry.channels.push(row.channel);
    names.set(key, entry);
  }
  return costPerLead(
    spendByCampaign(spend, from, to),
    [...leads].map(([key, entry]) => ({ key, leads: entry.leads })),
  ).map((row) => ({
    ...row,
    campaign: names.get(row.key)?.name ?? row.key,
    channels: leads.get(row.key)?.channels ?? names.get(row.key)?.channels ?? [],
  }));
}
