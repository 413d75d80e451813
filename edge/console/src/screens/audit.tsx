/**
 * The audit log on the History screen (owners and editors): who did what, and when, on this site:
 * config saves and rollbacks, token and member changes, replays, exports and erasures.
 */
import { useState } from "preact/hooks";
import type { AuditEntry } from "../../../../shared/api/people-access.ts";
import { api, describeError, query } from "../api.ts";
import { formatTime } from "../format.ts";
import { session } from "../session.ts";
import { announce, LoadState, ScrollRegion, useLoad } from "../ui/common.tsx";

interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

const ACTIONS: Record<string, string> = {
  "config.save": "Saved the configuration",
  "config.rollback": "Rolled back",
  "site.create": "Created the site",
  "token.create": "Created an API token",
  "token.revoke": "Revoked an API token",
  "member.save": "Added or changed a member",
  "member.remove": "Removed a member",
  "delivery.replay": "Replayed deliveries",
  "destination.pause": "Paused a destination",
  "destination.resume": "Resumed a destination",
  "leads.export": "Exported leads (CSV)",
  "person.export": "Exported a person's data",
  "person.erase": "Erased a person",
};

/** Mount only where `can("GET /sites/:site/audit")`: the request would be refused otherwise. */
export function AuditLog() {
  const site = session.value!.site;
  const [first] = useLoad(`audit:${site}`, (signal) =>
    api<AuditPage>(`/v1/admin/sites/${encodeURIComponent(site)}/audit${query({ limit: 50 })}`, { signal }),
  );
  const [pages, setPages] = useState<AuditPage[]>([]);
  const all = first.state === "ready" ? [first.data, ...pages] : [];
  const entries = all.flatMap((p) => p.entries);
  const next = all.at(-1)?.next ?? null;
  const more = async () => {
    try {
      const page = await api<AuditPage>(
        `/v1/admin/sites/${encodeURIComponent(site)}/audit${query({ limit: 50, cursor: next })}`,
      );
      setPages((p) => [...p, page]);
    } catch (error) {
      announce(`Could not load more of the audit log: ${describeError(error)}`);
    }
  };
  return (
    <section class="card" aria-labelledby="audit-log">
      <h2 id="audit-log">Audit log</h2>
      <LoadState load={first} what="the audit log" />
      {first.state === "ready" && entries.length === 0 && <p class="muted">Nothing recorded yet.</p>}
      {entries.length > 0 && (
        <ScrollRegion label="Audit entries">
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    {ACTIONS[e.action] ?? e.action}: {e.target}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {next && (
        <button type="button" class="button button-small button-ghost" onClick={more}>
          Older entries
        </button>
      )}
    </section>
  );
}
