/** Metrics by touch, joined the same way by every adapter. */
import { MAX_CAMPAIGNS, type SiteMetrics } from "./ports/metrics.ts";

type ChannelLeads = Omit<SiteMetrics["byChannel"][number], "impressions">;
type CampaignLeads = Omit<SiteMetrics["byCampaign"][number], "impressions">;

/**
 * Joins leads per channel and campaign with the widget's impressions per channel and campaign (either
 * may have rows the other lacks), most leads first; both adapters answer through it.
 */
export function byTouch(
  channels: ChannelLeads[],
  campaigns: CampaignLeads[],
  impressions: { channel: string; campaign: string; impressions: number }[],
): Pick<SiteMetrics, "byChannel" | "byCampaign"> {
  const perChannel = new Map<string, number>();
  const perCampaign = new Map<string, number>();
  for (const row of impressions) {
    perChannel.set(row.channel, (perChannel.get(row.channel) ?? 0) + row.impressions);
    if (row.campaign) {
      const key = `${row.channel}|${row.campaign}`;
      perCampaign.set(key, (perCampaign.get(key) ?? 0) + row.impressions);
    }
  }
  const byChannel = channels.map((c) => ({ ...c, impressions: perChannel.get(c.channel) ?? 0 }));
  for (const [channel, n] of perChannel)
    if (n > 0 && !channels.some((c) => c.channel === channel))
      byChannel.push({ channel, leads: 0, accepted: 0, impressions: n });
  const byCampaign = campaigns.map((c) => ({
    ...c,
    impressions: perCampaign.get(`${c.channel}|${c.campaign}`) ?? 0,
  }));
  for (const [key, n] of perCampaign) {
    const bar = key.indexOf("|");
    const [channel, campaign] = [key.slice(0, bar), key.slice(bar + 1)];
    if (n > 0 && !campaigns.some((c) => c.channel === channel && c.campaign === campaign))
      byCampaign.push({ channel, campaign, leads: 0, accepted: 0, impressions: n });
  }
  const order = (a: { leads: number; impressions: number }, b: { leads: number; impressions: number }) =>
    b.leads - a.leads || b.impressions - a.impressions;
  return {
    byChannel: byChannel.sort((a, b) => order(a, b) || (a.channel < b.channel ? -1 : 1)),
    byCampaign: byCampaign
      .sort((a, b) => order(a, b) || (a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : 0))
      .slice(0, MAX_CAMPAIGNS),
  };
}
