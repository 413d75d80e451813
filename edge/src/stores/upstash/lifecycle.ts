/**
 * A lead's life after capture on Upstash Redis: a guarded update is one script (scripts/update-lead.ts)
 * that applies only at the revision read; events, stages and outcomes are per-lead lists and keys.
 */
import type { Lead } from "../../../../shared/lead.ts";
import { ENQUEUE_LEASE_MS } from "../ports/delivery.ts";
import type {
  LeadEventRecord,
  LeadUpdate,
  LifecycleStore,
  Outcome,
  OutcomeRow,
  StageChange,
} from "../ports/lifecycle.ts";
import { byAt, parseList, scoreKey } from "./layout.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { LIST_OUTCOMES } from "./scripts/list-outcomes.ts";
import { TO_RESCORE } from "./scripts/to-rescore.ts";
import { UPDATE_LEAD } from "./scripts/update-lead.ts";

export class UpstashLifecycle implements LifecycleStore {
  readonly #redis: RedisCommands;

  /** An @upstash/redis client must be created with `automaticDeserialization: false`: scripts answer JSON text. */
  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  async getLeadForUpdate(id: string): Promise<{ lead: Lead; rev: number } | null> {
    // Without automatic deserialization HMGET answers the raw array of values.
    const [doc, rev] = (await this.#redis.hmget(`lc:lead:${id}`, "doc", "rev")) as unknown as (
      | string
      | null
    )[];
    if (!doc) return null;
    return { lead: JSON.parse(doc) as Lead, rev: Number(rev) };
  }

  async updateLead(update: LeadUpdate): Promise<boolean> {
    const { lead, rev } = update;
    const events = (update.events ?? []).map((e) =>
      JSON.stringify({ type: e.type, at: e.at, ...(e.props ? { props: e.props } : {}) }),
    );
    const outcome = update.outcome;
    const written = await runScript(
      this.#redis,
      UPDATE_LEAD,
      [`lc:lead:${lead.id}`],
      [
        rev,
        lead.id,
        JSON.stringify(lead),
        lead.score,
        lead.temperature,
        lead.stage,
        update.scoringVersion ?? "",
        events.length,
        update.stageChange ? JSON.stringify(update.stageChange) : "",
        outcome
          ? JSON.stringify({
              outcome: outcome.outcome,
              at: outcome.at,
              ...(outcome.value !== undefined ? { value: outcome.value } : {}),
            })
          : "",
        lead.updatedAt,
        Date.parse(lead.updatedAt),
        new Date(Date.parse(lead.updatedAt) + ENQUEUE_LEASE_MS).toISOString(),
        scoreKey(lead.score),
        ...events,
        ...(update.deliveries ?? []).flatMap((d) => [d.id, d.destination, d.eventType]),
      ],
    );
    return written === 1;
  }

  async listLeadEvents(leadId: string): Promise<LeadEventRecord[]> {
    return parseList<LeadEventRecord>(await this.#redis.lrange(`lc:lead:${leadId}:events`, 0, -1)).sort(byAt);
  }

  async listStageHistory(leadId: string): Promise<StageChange[]> {
    return parseList<StageChange>(await this.#redis.lrange(`lc:lead:${leadId}:stages`, 0, -1)).sort(byAt);
  }

  async leadsToRescore(site: string, version: string, limit: number): Promise<string[]> {
    return (await runScript(this.#redis, TO_RESCORE, [`lc:${site}:svs`], [site, version, limit])) as string[];
  }

  async listOutcomes(site: string, limit: number, after?: string): Promise<OutcomeRow[]> {
    const rows = (await runScript(
      this.#redis,
      LIST_OUTCOMES,
      [`lc:${site}:outcomes`],
      [after ? `(${after}` : "-", limit],
    )) as [string, string, string, string[]][];
    return rows
      .filter(([, doc, outcome]) => doc && outcome)
      .map(([, doc, outcome, events]) => {
        const { outcome: kind, at } = JSON.parse(outcome) as { outcome: OutcomeRow["outcome"]; at: string };
        return {
          lead: JSON.parse(doc) as Lead,
          outcome: kind,
          at,
          events: parseList<LeadEventRecord>(events).sort(byAt),
        };
      });
  }

  async getOutcome(leadId: string): Promise<Outcome | null> {
    const raw = await this.#redis.get(`lc:lead:${leadId}:outcome`);
    return typeof raw === "string" ? { leadId, ...(JSON.parse(raw) as Omit<Outcome, "leadId">) } : null;
  }
}
