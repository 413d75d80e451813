/**
 * Deliveries: each destination's health (paused, failing since, last success, counts) with pause,
 * resume and "send a test event"; the dead letters with retry one by one, or everything failed since
 * a day (bulk replay keeps each delivery's webhook-id, so receivers deduplicate).
 */
import { useState } from "preact/hooks";
import {
  api,
  type BulkReplayAnswer,
  type DeliveryPage,
  type DestinationHealth,
  type DestinationList,
  describeError,
  query,
  type ResumeAnswer,
  type TestResult,
} from "../api.ts";
import { addDays, formatNumber, formatTime, isoDay } from "../format.ts";
import { session } from "../session.ts";
import { announce, Badge, LoadState, PageTitle, useLoad } from "../ui/common.tsx";
import { DeliveriesTable } from "../ui/deliveries-table.tsx";

export async function loadDestinations(site: string, signal: AbortSignal): Promise<DestinationHealth[]> {
  const { destinations } = await api<DestinationList>(`/v1/admin/destinations${query({ site })}`, { signal });
  return Promise.all(
    destinations.map((d) =>
      api<DestinationHealth>(`/v1/admin/destinations/${encodeURIComponent(d.id)}${query({ site })}`, {
        signal,
      }),
    ),
  );
}

/**
 * `manage`: the session may pause, resume and test destinations (the owner's, shared/api/roles.ts),
 * given by the caller so this eager screen does not pull the role code out of the first chunk.
 */
export function DeliveriesScreen({ manage }: { manage: boolean }) {
  const site = session.value!.site;
  const [destinations, reloadDestinations] = useLoad(`destinations:${site}`, (signal) =>
    loadDestinations(site, signal),
  );
  const [dead, reloadDead] = useLoad(`dead:${site}`, (signal) =>
    api<DeliveryPage>(`/v1/admin/deliveries${query({ site, status: "dead", limit: 100 })}`, { signal }),
  );
  const refresh = () => {
    reloadDestinations();
    reloadDead();
  };

  return (
    <>
      <div class="page-head">
        <PageTitle title="Deliveries">Deliveries</PageTitle>
        <button type="button" class="button button-ghost" onClick={refresh}>
          Refresh
        </button>
      </div>
      <section aria-labelledby="dest-title">
        <h2 id="dest-title">Destinations</h2>
        <LoadState load={destinations} what="destinations" />
        {destinations.state === "ready" &&
          (destinations.data.length === 0 ? (
            <p class="muted">This site sends leads nowhere yet: add destinations to its config.</p>
          ) : (
            <ul class="destinations">
              {destinations.data.map((d) => (
                <DestinationCard key={d.id} site={site} d={d} onChanged={refresh} manage={manage} />
              ))}
            </ul>
          ))}
      </section>
      <DeadLetters site={site} load={dead} onChanged={refresh} />
    </>
  );
}

export function DestinationCard({
  site,
  d,
  onChanged,
  manage,
}: {
  site: string;
  d: DestinationHealth;
  onChanged: () => void;
  /** Pause, resume and test are offered (an owner's). */
  manage: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<TestResult | null>(null);
  const act = async (action: "pause" | "resume" | "test") => {
    setBusy(true);
    try {
      const result = await api<TestResult & Partial<ResumeAnswer>>(
        `/v1/admin/destinations/${encodeURIComponent(d.id)}/${action}${query({ site })}`,
        { method: "POST", ...(action === "pause" ? { body: { reason: "paused in the console" } } : {}) },
      );
      if (action === "test") {
        setTest(result);
        announce(
          result.ok
            ? `Test event delivered to ${d.id} (HTTP ${result.status}).`
            : `Test event to ${d.id} failed: ${result.error ?? `HTTP ${result.status}`}.`,
        );
      } else {
        announce(
          action === "pause"
            ? `${d.id} paused: new deliveries wait.`
            : `${d.id} resumed; ${result.released ?? 0} held deliveries sent.`,
        );
        onChanged();
      }
    } catch (error) {
      announce(`${d.id}: ${describeError(error)}`);
    } finally {
      setBusy(false);
    }
  };
  const health = d.paused ? "paused" : d.failingSince ? "failing" : "healthy";
  return (
    <li class="card destination">
      <div class="destination-head">
        <h3>
          {d.id} <span class="muted small">{d.type}</span>
        </h3>
        <Badge kind="status" value={health} />
      </div>
      {!d.configured && <p class="error">Not configured: some of its variables are unset.</p>}
      {d.paused && d.pausedReason && <p class="muted small">Paused: {d.pausedReason}</p>}
      <dl class="kv">
        <div>
          <dt>Delivered · pending · dead</dt>
          <dd>
            {formatNumber(d.deliveries.delivered)} · {formatNumber(d.deliveries.pending)} ·{" "}
            {formatNumber(d.deliveries.dead)}
          </dd>
        </div>
        <div>
          <dt>Last success</dt>
          <dd>{formatTime(d.lastSuccessAt) || "—"}</dd>
        </div>
        {d.failingSince && (
          <div>
            <dt>Failing since</dt>
            <dd>
              {formatTime(d.failingSince)} ({d.consecutiveFailures} failures)
            </dd>
          </div>
        )}
      </dl>
      {/* Pausing, resuming and testing a destination are the owner's (shared/api/roles.ts). */}
      {manage && (
        <div class="actions">
          {d.paused ? (
            <button type="button" class="button button-small" disabled={busy} onClick={() => act("resume")}>
              Resume {d.id}
            </button>
          ) : (
            <button
              type="button"
              class="button button-ghost button-small"
              disabled={busy}
              onClick={() => act("pause")}
            >
              Pause {d.id}
            </button>
          )}
          <button
            type="button"
            class="button button-ghost button-small"
            disabled={busy || !d.configured}
            onClick={() => act("test")}
          >
            Send a test event
          </button>
        </div>
      )}
      {test && (
        <p class={test.ok ? "ok small" : "error small"}>
          Test: {test.ok ? "delivered" : "failed"} —{" "}
          {test.status ? `HTTP ${test.status}` : (test.error ?? "no answer")} in {test.latencyMs} ms
        </p>
      )}
    </li>
  );
}

function DeadLetters({
  site,
  load,
  onChanged,
}: {
  site: string;
  load: ReturnType<typeof useLoad<DeliveryPage>>[0];
  onChanged: () => void;
}) {
  const [since, setSince] = useState(addDays(isoDay(new Date()), -7));
  const [replaying, setReplaying] = useState(false);
  const retryAll = async (event: Event) => {
    event.preventDefault();
    setReplaying(true);
    try {
      const result = await api<BulkReplayAnswer>("/v1/admin/deliveries/replay", {
        method: "POST",
        body: { site, since: `${since}T00:00:00Z` },
      });
      announce(
        `${formatNumber(result.replayed)} dead deliveries queued again${result.more ? "; run it again for the rest" : ""}.`,
      );
      onChanged();
    } catch (error) {
      announce(`Replay failed: ${describeError(error)}`);
    } finally {
      setReplaying(false);
    }
  };
  const rows = load.state === "ready" ? load.data.deliveries : [];
  return (
    <section class="card" aria-labelledby="dead-title">
      <h2 id="dead-title">
        Dead letters
        {load.state === "ready" ? ` (${formatNumber(rows.length)}${load.data.nextCursor ? "+" : ""})` : ""}
      </h2>
      <p class="muted">
        Deliveries that failed every retry (about a day of backoff). Fix the destination, then retry.
      </p>
      <form class="actions replay-all" onSubmit={retryAll}>
        <div class="field inline">
          <label for="replay-since">Failed since</label>
          <input
            id="replay-since"
            type="date"
            value={since}
            onChange={(e) => setSince(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button-small" disabled={replaying || rows.length === 0}>
          Retry all since then
        </button>
      </form>
      <LoadState load={load} what="dead letters" />
      {load.state === "ready" &&
        (rows.length === 0 ? (
          <p class="muted">None: every delivery arrived or is still being tried.</p>
        ) : (
          <DeliveriesTable
            rows={rows}
            label="Dead letters table"
            leadColumn
            disabled={replaying}
            onReplayed={onChanged}
          />
        ))}
    </section>
  );
}
