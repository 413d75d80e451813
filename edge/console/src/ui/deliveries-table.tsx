/**
 * Deliveries as a table: one lead's (its screen) or the site's dead letters (Deliveries). Each row
 * opens its attempt log in place (status, latency, the receiver's answer, the next try) and, once it
 * is not pending, replays it: the same webhook-id, so the receiver deduplicates.
 */
import { useState } from "preact/hooks";
import {
  type Attempt,
  api,
  type DeliveryDetail,
  type DeliverySummary,
  describeError,
  type ReplayAnswer,
} from "../api.ts";
import { formatTime } from "../format.ts";
import { announce, Badge, ScrollRegion } from "./common.tsx";

/** A delivery as the lists answer it: without its payload. */
export type DeliveryRow = DeliverySummary;

export function DeliveriesTable({
  rows,
  label,
  leadColumn,
  statusColumn,
  disabled,
  onReplayed,
}: {
  rows: readonly DeliveryRow[];
  /** The scrollable region's name ("Deliveries table"). */
  label: string;
  /** A column linking each row's lead (a list that spans leads). */
  leadColumn?: boolean;
  /** A column with each row's status (a list of mixed statuses). */
  statusColumn?: boolean;
  /** Replay buttons off (while the screen replays many at once). */
  disabled?: boolean;
  onReplayed: () => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const replay = async (d: DeliveryRow) => {
    setBusy(d.id);
    try {
      const result = await api<ReplayAnswer>(`/v1/admin/deliveries/${encodeURIComponent(d.id)}/replay`, {
        method: "POST",
      });
      announce(
        result.replayed
          ? "Delivery queued again, with the same webhook-id."
          : (result.message ?? "Nothing to replay."),
      );
      onReplayed();
    } catch (error) {
      announce(`${d.status === "dead" ? "Retry" : "Replay"} failed: ${describeError(error)}`);
    } finally {
      setBusy(null);
    }
  };
  const columns = 6 + (leadColumn ? 1 : 0) + (statusColumn ? 1 : 0);
  return (
    <ScrollRegion label={label}>
      <table>
        <thead>
          <tr>
            {leadColumn && <th scope="col">Lead</th>}
            <th scope="col">Destination</th>
            <th scope="col">Event</th>
            {statusColumn && <th scope="col">Status</th>}
            <th scope="col" class="num">
              Attempts
            </th>
            <th scope="col">Last answer</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <Row
              key={d.id}
              d={d}
              columns={columns}
              leadColumn={leadColumn}
              statusColumn={statusColumn}
              // One replay at a time: the list reloads after each.
              disabled={disabled || busy !== null}
              onReplay={() => replay(d)}
            />
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** One delivery, and on demand its attempt log. */
function Row({
  d,
  columns,
  leadColumn,
  statusColumn,
  disabled,
  onReplay,
}: {
  d: DeliveryRow;
  columns: number;
  leadColumn: boolean | undefined;
  statusColumn: boolean | undefined;
  disabled: boolean;
  onReplay: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [attempts, setAttempts] = useState<Attempt[] | string | null>(null);
  const toggle = async () => {
    const next = !open;
    setOpen(next);
    if (!next) return;
    setAttempts(null);
    try {
      const detail = await api<DeliveryDetail>(`/v1/admin/deliveries/${encodeURIComponent(d.id)}`);
      setAttempts(detail.attempts);
    } catch (error) {
      setAttempts(describeError(error));
    }
  };
  const logId = `attempts-${d.id}`;
  return (
    <>
      <tr>
        {leadColumn && (
          <td>
            <a href={`#/leads/${encodeURIComponent(d.leadId)}`}>{d.leadId}</a>
          </td>
        )}
        <td>{d.destination}</td>
        <td>{d.eventType}</td>
        {statusColumn && (
          <td>
            <Badge kind="status" value={d.held ? "held" : d.status} />
          </td>
        )}
        <td class="num">{d.attempts}</td>
        <td>{d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : "—")}</td>
        <td class="nowrap">{formatTime(d.createdAt)}</td>
        <td class="nowrap">
          <button
            type="button"
            class="button button-ghost button-small"
            aria-expanded={open}
            aria-controls={open ? logId : undefined}
            aria-label={`Attempts of ${d.eventType} to ${d.destination}`}
            onClick={toggle}
          >
            Attempts
          </button>{" "}
          {d.status !== "pending" && (
            <button
              type="button"
              class="button button-ghost button-small"
              disabled={disabled}
              onClick={onReplay}
              aria-label={`${d.status === "dead" ? "Retry" : "Replay"} ${d.eventType} to ${d.destination}`}
            >
              {d.status === "dead" ? "Retry" : "Replay"}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr id={logId} class="attempts-row">
          <td colSpan={columns}>
            {attempts === null ? (
              <span class="muted">Loading attempts…</span>
            ) : typeof attempts === "string" ? (
              <span class="error">{attempts}</span>
            ) : attempts.length === 0 ? (
              <span class="muted">Not tried yet.</span>
            ) : (
              <ol class="attempts">
                {attempts.map((a) => (
                  <li key={a.at}>
                    <Badge kind="status" value={a.outcome} /> {formatTime(a.at)} ·{" "}
                    {a.status ? `HTTP ${a.status}` : (a.error ?? "no answer")} · {a.latencyMs} ms
                    {a.responseExcerpt && <code class="excerpt">{a.responseExcerpt}</code>}
                    {a.nextAttemptAt && <span class="muted"> · next try {formatTime(a.nextAttemptAt)}</span>}
                  </li>
                ))}
              </ol>
            )}
          </td>
        </tr>
      )}
    </>
  );
}
