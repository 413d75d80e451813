/**
 * One lead: score and its reasons, first and latest touch, engagement, answers and consent, the
 * submission / event / stage histories (each submission with what the edge repaired in it), the stage actions (accept as SQL, mark customer, any stage
 * with a reason), and its deliveries per destination with replay.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { RepairNote } from "../../../../shared/lead.ts";
import type { Touch } from "../../../../shared/signals.ts";
import {
  ApiFailure,
  api,
  type DeliveryPage,
  describeError,
  type Lead,
  type LeadEventRecord,
  type OutcomeAnswer,
  query,
  type StageChange,
  type SubmissionRecord,
} from "../api.ts";
import { fieldText, formatDuration, formatNumber, formatTime, humanize } from "../format.ts";
import { leadCompany, leadName, STAGES } from "../leads-query.ts";
import { session } from "../session.ts";
import { Bars } from "../ui/charts.tsx";
import { announce, Badge, LoadState, PageTitle, ScrollRegion, useLoad } from "../ui/common.tsx";
import { DeliveriesTable, type DeliveryRow } from "../ui/deliveries-table.tsx";

type Histories = {
  submissions: SubmissionRecord[];
  events: LeadEventRecord[];
  stages: StageChange[];
  deliveries: DeliveryRow[] | null;
};

async function loadHistories(id: string, site: string, signal: AbortSignal): Promise<Histories> {
  const path = `/v1/admin/leads/${encodeURIComponent(id)}`;
  const [submissions, events, stages, deliveries] = await Promise.all([
    api<{ submissions: SubmissionRecord[] }>(`${path}/submissions`, { signal }),
    api<{ events: LeadEventRecord[] }>(`${path}/events`, { signal }),
    api<{ stages: StageChange[] }>(`${path}/stages`, { signal }),
    // Deliveries need the delivery routes; an edge without them shows the section as unavailable.
    api<DeliveryPage>(`/v1/admin/deliveries${query({ site, lead: id, limit: 200 })}`, {
      signal,
    }).catch((error) => {
      if (error instanceof ApiFailure && error.status === 404) return null;
      throw error;
    }),
  ]);
  return {
    submissions: submissions.submissions,
    events: events.events,
    stages: stages.stages,
    deliveries: deliveries?.deliveries ?? null,
  };
}

export function LeadScreen({ id }: { id: string }) {
  const site = session.value!.site;
  const [lead, reloadLead] = useLoad(`lead:${id}`, (signal) =>
    api<Lead>(`/v1/admin/leads/${encodeURIComponent(id)}`, { signal }),
  );
  const [histories, reloadHistories] = useLoad(`histories:${id}`, (signal) =>
    loadHistories(id, site, signal),
  );
  const refresh = () => {
    reloadLead();
    reloadHistories();
  };

  if (lead.state !== "ready")
    return (
      <>
        <p>
          <a href="#/leads">← All leads</a>
        </p>
        <PageTitle title="Lead">Lead</PageTitle>
        <LoadState load={lead} what="the lead" />
      </>
    );
  const l = lead.data;
  const name = leadName(l);
  const company = leadCompany(l);
  return (
    <>
      <p class="crumbs">
        <a href="#/leads">← All leads</a>
      </p>
      <div class="page-head">
        <div>
          <PageTitle title={name || l.email}>{name || l.email}</PageTitle>
          <p class="muted">
            {[name ? l.email : "", company, `form ${l.form}`, `created ${formatTime(l.createdAt)}`]
              .filter(Boolean)
              .join(" · ")}
          </p>
        </div>
        <a class="button button-ghost button-small" href={`#/scoring?lead=${encodeURIComponent(l.id)}`}>
          Score with edited rules
        </a>
      </div>

      <div class="grid lead-grid">
        <section class="card" aria-labelledby="score-title">
          <h2 id="score-title">Score</h2>
          <p class="score">
            <span class="score-value">{l.score}</span>
            <span class="muted">/ 100</span> <Badge kind="temperature" value={l.temperature} />{" "}
            <Badge kind="stage" value={l.stage} />
          </p>
          {l.components && (
            <Bars
              max={100}
              rows={(["fit", "engagement", "intent"] as const).map((k) => ({
                key: k,
                label: humanize(k),
                value: l.components![k],
                text: String(l.components![k]),
              }))}
            />
          )}
          <h3>Reasons</h3>
          {l.reasons.length === 0 ? (
            <p class="muted">No rule fired.</p>
          ) : (
            <ul class="reasons">
              {l.reasons.map((r) => (
                <li key={r.rule}>
                  <span>{r.label}</span>
                  <span class={r.points < 0 ? "points negative" : "points"}>
                    {r.points > 0 ? "+" : ""}
                    {r.points}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <StagePanel lead={l} onChanged={refresh} />

        <section class="card" aria-labelledby="touch-title">
          <h2 id="touch-title">Attribution</h2>
          <div class="two">
            <TouchList title="First touch" touch={l.firstTouch} />
            <TouchList title="Latest touch" touch={l.lastTouch} />
          </div>
        </section>

        <section class="card" aria-labelledby="answers-title">
          <h2 id="answers-title">Answers and engagement</h2>
          <dl class="kv">
            {Object.entries(l.fields).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{fieldText(v) || "—"}</dd>
              </div>
            ))}
            <div>
              <dt>Active time</dt>
              <dd>{formatDuration(l.engagement.activeTimeMs)}</dd>
            </div>
            <div>
              <dt>Scroll depth</dt>
              <dd>{l.engagement.maxScrollPct} %</dd>
            </div>
            <div>
              <dt>Visits · pages</dt>
              <dd>
                {l.engagement.visits ?? "—"} · {l.engagement.totalPageViews ?? l.engagement.pageViews ?? "—"}
              </dd>
            </div>
            <div>
              <dt>Submissions · conversions</dt>
              <dd>
                {l.submissionCount} · {l.conversions ?? 1}
              </dd>
            </div>
          </dl>
          {l.consent && l.consent.length > 0 && (
            <>
              <h3>Consent</h3>
              <ul class="plain">
                {l.consent.map((c) => (
                  <li key={`${c.field}${c.at}`}>
                    “{c.text}” {c.version ? `(version ${c.version})` : ""} — {formatTime(c.at)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>

      <LoadState load={histories} what="the history" />
      {histories.state === "ready" && (
        <>
          <Deliveries deliveries={histories.data.deliveries} onReplayed={reloadHistories} />
          <section class="card" aria-labelledby="subs-title">
            <h2 id="subs-title">Submissions and touches ({histories.data.submissions.length})</h2>
            <ScrollRegion label="Submissions table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Form</th>
                    <th scope="col">Channel</th>
                    <th scope="col">Source / medium / campaign</th>
                    <th scope="col">Page</th>
                    <th scope="col">Repaired on arrival</th>
                  </tr>
                </thead>
                <tbody>
                  {[...histories.data.submissions].reverse().map((s) => (
                    <tr key={s.submissionId}>
                      <td class="nowrap">{formatTime(s.at)}</td>
                      <td>{s.form}</td>
                      <td>{humanize(s.touch.channel ?? "other")}</td>
                      <td>
                        {[s.touch.utm_source, s.touch.utm_medium, s.touch.utm_campaign]
                          .map((v) => v || "—")
                          .join(" / ")}
                      </td>
                      <td class="url">{s.page.url}</td>
                      <td>
                        <RepairNotes notes={s.notes} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          </section>
          <div class="grid two-cols">
            <section class="card" aria-labelledby="stages-title">
              <h2 id="stages-title">Stage history</h2>
              {histories.data.stages.length === 0 ? (
                <p class="muted">Still at its first stage.</p>
              ) : (
                <ol class="timeline">
                  {[...histories.data.stages].reverse().map((s) => (
                    <li key={`${s.at}${s.to}`}>
                      <strong>
                        {s.from} → {s.to}
                      </strong>{" "}
                      <span class="muted">{s.cause}</span>
                      <div class="muted small">{formatTime(s.at)}</div>
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section class="card" aria-labelledby="events-title">
              <h2 id="events-title">Events</h2>
              {histories.data.events.length === 0 ? (
                <p class="muted">No product or engagement events.</p>
              ) : (
                <ol class="timeline">
                  {[...histories.data.events].reverse().map((e, i) => (
                    <li key={`${e.at}${i}`}>
                      <strong>{e.type}</strong>
                      {e.props && <span class="muted"> {JSON.stringify(e.props)}</span>}
                      <div class="muted small">{formatTime(e.at)}</div>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
        </>
      )}
    </>
  );
}

/** The submission's parts as a marketer calls them (the edge's notes name them by their JSON path). */
const PART_NAMES: Record<string, string> = {
  attribution: "attribution",
  firstTouch: "first touch",
  lastTouch: "latest touch",
  landingPage: "landing page",
  referrer: "referrer",
  clickIds: "click ids",
  at: "time",
  utm_source: "source",
  utm_medium: "medium",
  utm_campaign: "campaign",
  utm_term: "term",
  utm_content: "content",
  engagement: "engagement",
  activeTimeMs: "active time",
  maxScrollPct: "scroll depth",
  pageViews: "pages this visit",
  visits: "visits",
  totalPageViews: "pages in all",
  formTimeMs: "time on the form",
  abandonedFields: "abandoned fields",
  keyPages: "key pages",
  page: "page",
  url: "address",
  title: "title",
  language: "language",
  submissionId: "submission id",
  turnstileToken: "Turnstile token",
  fields: "answer",
};

/** A note in plain words: "Engagement › abandoned fields: dropped, expected a list, got text". */
export function noteText(note: RepairNote): string {
  const where = note.path
    .split(".")
    .map((part) => PART_NAMES[part] ?? part)
    .join(" › ");
  return `${where.charAt(0).toUpperCase()}${where.slice(1)}: ${note.action}, ${note.reason}`;
}

/** What the edge repaired or dropped in a submission's signals; the lead itself was kept. */
export function RepairNotes({ notes }: { notes: RepairNote[] | undefined }) {
  if (!notes?.length) return <span class="muted">Nothing</span>;
  return (
    <ul class="plain small">
      {notes.map((note, i) => (
        // A fixed list, never reordered: its place is its identity.
        <li key={i}>{noteText(note)}</li>
      ))}
    </ul>
  );
}

function TouchList({ title, touch }: { title: string; touch: Touch }) {
  const rows: [string, string | undefined][] = [
    ["Channel", humanize(touch.channel ?? "other")],
    ["Source", touch.utm_source],
    ["Medium", touch.utm_medium],
    ["Campaign", touch.utm_campaign],
    ["Term", touch.utm_term],
    ["Content", touch.utm_content],
    ["Click ids", touch.clickIds ? Object.keys(touch.clickIds).join(", ") : undefined],
    ["Referrer", touch.referrer || "direct"],
    ["Landing page", touch.landingPage],
    ["At", formatTime(touch.at)],
  ];
  return (
    <div>
      <h3>{title}</h3>
      <dl class="kv">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd class={k === "Landing page" || k === "Referrer" ? "url" : ""}>{v}</dd>
            </div>
          ))}
      </dl>
    </div>
  );
}

function StagePanel({ lead, onChanged }: { lead: Lead; onChanged: () => void }) {
  const [reason, setReason] = useState("");
  const [other, setOther] = useState<string>(lead.stage);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => setOther(lead.stage), [lead.stage]);

  const change = async (stage: string, fallbackReason: string) => {
    setBusy(true);
    setError("");
    try {
      const updated = await api<Lead>(`/v1/admin/leads/${encodeURIComponent(lead.id)}/stage`, {
        method: "POST",
        body: { stage, reason: reason.trim() || fallbackReason },
      });
      setReason("");
      announce(`Stage set to ${updated.stage}.`);
      // The button pressed may be gone now (no "Accept as SQL" on an SQL): keep focus in the panel.
      heading.current?.focus();
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const [outcome, setOutcome] = useState("");
  // What is on record already (from the CRM or an earlier click), so nobody records it twice blind.
  const [recorded, setRecorded] = useState<{ outcome: "converted" | "lost"; at: string } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<OutcomeAnswer>(`/v1/admin/leads/${encodeURIComponent(lead.id)}/outcome`, {
      signal: controller.signal,
    })
      .then((answer) => setRecorded(answer.outcome))
      .catch(() => {});
    return () => controller.abort();
  }, [lead.id, outcome]);
  const record = async (result: "converted" | "lost") => {
    setBusy(true);
    setError("");
    try {
      await api(`/v1/admin/outcomes`, {
        method: "POST",
        body: { outcomes: [{ leadId: lead.id, outcome: result, at: new Date().toISOString() }] },
      });
      const text =
        result === "converted"
          ? "Recorded as won: the lead is a customer, and calibration learns from it."
          : "Recorded as lost: calibration learns from it.";
      setOutcome(text);
      announce(text);
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const closed = lead.stage === "customer";
  return (
    <section class="card" aria-labelledby="stage-title">
      <h2 id="stage-title" ref={heading} tabIndex={-1}>
        Stage
      </h2>
      <p>
        Now <Badge kind="stage" value={lead.stage} />
      </p>
      <form
        class="stage-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (other !== lead.stage) change(other, `set to ${other} in the console`);
        }}
      >
        <fieldset disabled={busy}>
          <div class="field">
            <label for="stage-reason">Reason (optional, shown in the history)</label>
            <input
              id="stage-reason"
              type="text"
              maxLength={200}
              placeholder="e.g. qualified on the discovery call"
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </div>
          <div class="actions">
            {lead.stage !== "SQL" && !closed && (
              <button
                type="button"
                class="button"
                onClick={() => change("SQL", "accepted by sales in the console")}
              >
                Accept as SQL
              </button>
            )}
            {!closed && (
              <button
                type="button"
                class="button button-ghost"
                onClick={() => change("customer", "marked customer in the console")}
              >
                Mark customer
              </button>
            )}
          </div>
          <div class="field inline">
            <label for="stage-other">Set stage</label>
            <select id="stage-other" value={other} onChange={(e) => setOther(e.currentTarget.value)}>
              {STAGES.map((s) => (
                <option key={s} value={s}>
                  {s === "customer" ? "Customer" : s}
                </option>
              ))}
            </select>
            <button type="submit" class="button button-ghost button-small" disabled={other === lead.stage}>
              Apply
            </button>
          </div>
        </fieldset>
        <fieldset class="group outcome" disabled={busy}>
          <legend>Outcome</legend>
          <p class="hint" id="outcome-hint">
            Won or lost, as your CRM would report it: Scoring's “Propose from outcomes” learns from these.
          </p>
          <p class="small" id="outcome-now">
            {recorded
              ? `On record: ${recorded.outcome === "converted" ? "won" : "lost"}, ${new Date(recorded.at).toLocaleDateString()}.`
              : "No outcome on record yet."}
          </p>
          <div class="actions">
            <button
              type="button"
              class="button button-ghost button-small"
              aria-describedby="outcome-hint"
              onClick={() => record("converted")}
            >
              Won (converted)
            </button>
            <button
              type="button"
              class="button button-ghost button-small"
              aria-describedby="outcome-hint"
              onClick={() => record("lost")}
            >
              Lost
            </button>
          </div>
          {outcome && (
            <p class="ok small" role="status">
              {outcome}
            </p>
          )}
        </fieldset>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}

function Deliveries({
  deliveries,
  onReplayed,
}: {
  deliveries: DeliveryRow[] | null;
  onReplayed: () => void;
}) {
  const sorted = deliveries
    ? [...deliveries].sort(
        (a, b) => a.destination.localeCompare(b.destination) || b.createdAt.localeCompare(a.createdAt),
      )
    : [];
  return (
    <section class="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries {deliveries ? `(${formatNumber(deliveries.length)})` : ""}</h2>
      {deliveries === null ? (
        <p class="muted">This edge does not report deliveries yet.</p>
      ) : sorted.length === 0 ? (
        <p class="muted">Not sent anywhere: no destination routed this lead.</p>
      ) : (
        <DeliveriesTable rows={sorted} label="Deliveries table" statusColumn onReplayed={onReplayed} />
      )}
    </section>
  );
}
