/** A person's data on Upstash Redis: exported or erased, each in one script. */
import type { Lead, SubmissionRecord } from "../../../../shared/lead.ts";
import type { LeadEventRecord, Outcome, StageChange } from "../ports/lifecycle.ts";
import type { ErasureReceipt, PersonExport, PrivacyStore } from "../ports/privacy.ts";
import { byAt, parseList } from "./layout.ts";
import { type RedisCommands, runScript } from "./rest.ts";
import { ERASE_PERSON } from "./scripts/erase-person.ts";
import { EXPORT_PERSON } from "./scripts/export-person.ts";

export class UpstashPrivacy implements PrivacyStore {
  readonly #redis: RedisCommands;

  /** An @upstash/redis client must be created with `automaticDeserialization: false`: scripts answer JSON text. */
  constructor(redis: RedisCommands) {
    this.#redis = redis;
  }

  async exportPerson(site: string, dedupeKey: string): Promise<PersonExport | null> {
    const reply = (await runScript(this.#redis, EXPORT_PERSON, [`lc:${site}:dk:${dedupeKey}`], [])) as
      | [string, string[], string[], string[], string, (string | null)[][]]
      | null
      | false;
    if (!reply) return null;
    const [doc, subs, events, stages, outcome, rows] = reply;
    const lead = JSON.parse(doc) as Lead;
    const found = outcome ? (JSON.parse(outcome) as Omit<Outcome, "leadId">) : null;
    return {
      lead,
      submissions: parseList<SubmissionRecord>(subs).sort(byAt),
      events: parseList<LeadEventRecord>(events).sort(byAt),
      stages: parseList<StageChange>(stages).sort(byAt),
      outcome: found ? { leadId: lead.id, ...found } : null,
      deliveries: rows
        .map(([id, destination, eventType, status, createdAt, payload]) => ({
          id: id ?? "",
          destination: destination ?? "",
          eventType: eventType ?? "",
          status: status ?? "",
          createdAt: createdAt ?? "",
          ...(status === "pending" && payload ? { payload: JSON.parse(payload) as unknown } : {}),
        }))
        .sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? -1 : 1)),
    };
  }

  async erasePerson(
    site: string,
    dedupeKey: string,
    erasure: { id: string; at: string },
  ): Promise<ErasureReceipt | null> {
    const removed = await runScript(
      this.#redis,
      ERASE_PERSON,
      [`lc:${site}:dk:${dedupeKey}`, `lc:${site}:leads`, `lc:${site}:erasures`],
      [site, erasure.id, erasure.at],
    );
    if (!removed) return null;
    return {
      id: erasure.id,
      site,
      at: erasure.at,
      removed: JSON.parse(removed as string) as ErasureReceipt["removed"],
    };
  }
}
