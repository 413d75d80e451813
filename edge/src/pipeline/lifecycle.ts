/**
 * A lead's life after capture: re-scoring (a merged submission, new events, a rules change), stage
 * changes (the score, the PQL rule, a salesperson, an outcome) and the deliveries those changes
 * trigger. Every change is a guarded read-modify-write of one lead, retried when another write won.
 */
import type { SiteConfig } from "../../../shared/config.ts";
import type { Lead, LeadEventType, Stage } from "../../../shared/lead.ts";
import { matches, nextStage, type ScoringInput, score, scoringInputFor } from "../../../shared/scoring.ts";
import { enqueue } from "../delivery.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../errors.ts";
import { messageId } from "../ids.ts";
import { destinationsFor } from "../routing.ts";
import type {
  LeadEventRecord,
  LeadRevisions,
  LifecycleStore,
  Outcome,
  StageChange,
} from "../stores/ports/lifecycle.ts";

// Site configs are parsed once per version and shared, so their scoring objects key a cache.
const versions = new WeakMap<SiteConfig["scoring"], string>();

/** Identifies a scoring config: leads scored with another one are re-scored in the background. */
export function scoringVersion(site: SiteConfig): string {
  let version = versions.get(site.scoring);
  if (version === undefined) {
    version = hashOf(JSON.stringify(site.scoring));
    versions.set(site.scoring, version);
  }
  return version;
}

function hashOf(text: string): string {
  // FNV-1a, 32 bits: a change detector, not a security measure.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

export function pqlReached(site: SiteConfig, input: ScoringInput): boolean {
  const rule = site.scoring.pqlWhen;
  return !!rule && rule.every((condition) => matches(input, condition));
}

export interface Revision {
  /** Events to add to the lead (and score with). */
  events?: LeadEventRecord[];
  /** A stage set by a person or a CRM: it wins over what the score says. */
  stage?: { to: Stage; cause: string };
  outcome?: Outcome;
  /** Why the lead is being revised, for the stage history when the score moves the stage. */
  cause: string;
}

const MAX_TRIES = 8;

/**
 * Re-scores a lead with its events (and any new ones), applies the revision, and writes it with the
 * stage history and deliveries it calls for. Returns the lead as written, or null if there is none.
 */
export async function reviseLead(
  env: Env,
  store: LeadRevisions,
  site: SiteConfig,
  leadId: string,
  revision: Revision,
  /**
   * `latest-wins`: one try, and a lost race is fine — the write that won will be re-scored by its
   * own revision (used after merges, which each schedule one). @default "retry"
   */
  mode: "retry" | "latest-wins" = "retry",
): Promise<Lead | null> {
  const tries = mode === "retry" ? MAX_TRIES : 1;
  for (let attempt = 0; attempt < tries; attempt++) {
    const current = await store.getLeadForUpdate(leadId);
    if (!current || current.lead.site !== site.id) return null;
    const { lead, rev } = current;
    const now = new Date().toISOString();
    const events = [...(await store.listLeadEvents(leadId)), ...(revision.events ?? [])].sort((a, b) =>
      a.at < b.at ? -1 : a.at > b.at ? 1 : 0,
    );
    const input = scoringInputFor(site, lead, events, now);
    const result = score(input, site.scoring);
    const pql = pqlReached(site, input);
    const stage = revision.stage ? revision.stage.to : nextStage(lead.stage, result, pql);
    const stageCause = revision.stage
      ? revision.stage.cause
      : stage === "PQL" && lead.stage !== "PQL"
        ? "pql"
        : `score: ${revision.cause}`;
    const next: Lead = {
      ...lead,
      score: result.score,
      temperature: result.temperature,
      reasons: result.reasons,
      components: result.components,
      stage,
      updatedAt: now,
    };
    const stageChange: StageChange | undefined =
      stage !== lead.stage ? { from: lead.stage, to: stage, cause: stageCause, at: now } : undefined;
    // Routing runs again when the stage or the temperature changes.
    const eventType: LeadEventType | undefined = stageChange
      ? "lead.stage_changed"
      : next.temperature !== lead.temperature
        ? "lead.updated"
        : undefined;
    const deliveries = eventType
      ? destinationsFor(site, next, env, eventType).map((d) => ({
          id: messageId(),
          destination: d.id,
          eventType,
        }))
      : [];
    const written = await store.updateLead({
      lead: next,
      rev,
      scoringVersion: scoringVersion(site),
      events: revision.events,
      stageChange,
      outcome: revision.outcome,
      deliveries,
    });
    if (written) {
      // The outbox rows are written; the queue message is the fast path (the sweep, the safety net).
      await enqueue(
        env,
        deliveries.map((d) => d.id),
      );
      return next;
    }
    if (mode === "latest-wins") return null;
    // Someone else wrote the lead since we read it: read again and re-apply.
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
  }
  throw new ApiError("unavailable", "The lead is being changed by many requests at once; please retry.", {
    headers: { "Retry-After": "1" },
  });
}

/**
 * The cron's re-score: leads last scored with another scoring config (the rules changed) or left
 * stale by a merge are re-scored, a bounded batch per site and tick, so it never holds up ingestion
 * and simply resumes at the next tick. Returns how many leads were re-scored.
 */
export async function rescoreSweep(
  env: Env,
  store: LeadRevisions & Pick<LifecycleStore, "leadsToRescore">,
  sites: Iterable<SiteConfig>,
  perSite = 200,
): Promise<number> {
  let done = 0;
  for (const site of sites) {
    const ids = await store.leadsToRescore(site.id, scoringVersion(site), perSite);
    for (let i = 0; i < ids.length; i += 4) {
      const revised = await Promise.all(
        ids
          .slice(i, i + 4)
          .map((id) => reviseLead(env, store, site, id, { cause: "scoring rules changed" }, "latest-wins")),
      );
      done += revised.filter(Boolean).length;
    }
  }
  return done;
}
