/**
 * Capture health: what the edge refused (or accepted after repairing it) on this site over a date
 * range, by reason and by day, the origins it came from, and the site's allowed origins with a way to
 * add one, from a refused origin's row in one click or typed in. A page on a domain the site does
 * not allow keeps its leads in visitors' browsers: this is where the owner sees it and fixes it.
 */
import { useEffect, useState } from "preact/hooks";
import type { CaptureReason } from "../../../../shared/capture.ts";
import { NO_ORIGIN, OTHER_ORIGINS, originProblem, parseOrigin } from "../../../../shared/origins.ts";
import { type AllowOriginAnswer, ApiFailure, api, type CaptureHealth, describeError, query } from "../api.ts";
import { acceptAnswer, dirty, draft, ensureConfig, saved } from "../config-store.ts";
import { addDays, formatNumber, formatTime } from "../format.ts";
import { href, navigate } from "../router.ts";
import { session } from "../session.ts";
import { Bars, Chart, DayBars } from "../ui/charts.tsx";
import { announce, Badge, LoadState, PageTitle, ScrollRegion, useLoad } from "../ui/common.tsx";
import { RangeForm, rangeFrom } from "../ui/range.tsx";

/** Each reason in the owner's words, and what to do about it. */
export const REASONS: Record<CaptureReason, { label: string; help: string }> = {
  origin_not_allowed: {
    label: "Page on an origin not allowed",
    help: "The page's address is not on this site's allowed origins: allow it below if the page is yours.",
  },
  invalid_answers: {
    label: "Answers the form refused",
    help: "A required field missing, an address or number that did not check out, consent not given.",
  },
  rate_limited: {
    label: "Too many from one device",
    help: "More submissions from one device than the site's rate limit allows.",
  },
  bot: { label: "Caught as a bot", help: "Honeypot filled, form sent too fast, or Turnstile failed." },
  repaired: {
    label: "Kept, tracking data repaired",
    help: "The lead was kept; malformed attribution or engagement data around it was fixed or dropped.",
  },
  payload_too_large: { label: "Too large to read", help: "The submission was over the size limit." },
  invalid_request: {
    label: "Unreadable submission",
    help: "Not JSON, not the expected shape, or a content type the edge does not take.",
  },
  unknown_form: {
    label: "Form not found",
    help: "The page names a form this site does not have (renamed or deleted?).",
  },
};

const ORDER = Object.keys(REASONS) as CaptureReason[];

/** An origin as a person reads it: the two values that are not one get words. */
export function originLabel(origin: string): string {
  if (origin === OTHER_ORIGINS) return "Other origins (past the day's limit)";
  if (origin === "null") return "null (a sandboxed frame or a local file)";
  if (origin === NO_ORIGIN) return "No origin (a server or a no-JS form)";
  return origin;
}

const reasonsText = (byReason: Partial<Record<CaptureReason, number>>) =>
  ORDER.filter((r) => byReason[r])
    .map((r) => `${REASONS[r].label}: ${formatNumber(byReason[r]!)}`)
    .join("; ");

/** POSTs the origin; the console's loaded config follows the new version (unsaved edits kept). */
async function allowOrigin(site: string, origin: string): Promise<AllowOriginAnswer> {
  const answer = await api<AllowOriginAnswer>(`/v1/admin/sites/${encodeURIComponent(site)}/allowed-origins`, {
    method: "POST",
    body: { origin },
  });
  const s = saved.value;
  if (answer.added && s.state === "ready" && s.site === site) {
    if (!dirty.value || !draft.value) acceptAnswer(answer);
    else {
      // Unsaved edits stay, on top of the new version (so their save is not refused as stale).
      const edits = draft.value;
      const origins = edits.allowedOrigins ?? [];
      saved.value = { state: "ready", site, answer };
      draft.value = {
        ...edits,
        allowedOrigins: origins.includes(answer.origin) ? origins : [...origins, answer.origin],
      };
    }
  }
  return answer;
}

export function CaptureScreen({ params }: { params: URLSearchParams }) {
  const site = session.value!.site;
  const { from, to } = rangeFrom(params);
  const [load, reload] = useLoad(`capture:${site}:${from}:${to}`, (signal) =>
    api<CaptureHealth>(
      `/v1/admin/sites/${encodeURIComponent(site)}/capture-health${query({ from, to: addDays(to, 1) })}`,
      { signal },
    ),
  );
  useEffect(() => {
    void ensureConfig();
  }, [site]);
  const allow = async (origin: string) => {
    const answer = await allowOrigin(site, origin);
    announce(
      answer.added
        ? `${origin} is allowed now (version ${answer.version}): its next submissions are accepted within seconds.`
        : `${origin} was allowed already.`,
    );
    reload();
  };

  return (
    <>
      <div class="page-head">
        <PageTitle title="Capture health">Capture health</PageTitle>
        <button type="button" class="button button-ghost" onClick={reload}>
          Refresh
        </button>
      </div>
      <p class="muted lede">
        Submissions the edge refused on this site, and leads it kept after repairing their tracking data. A
        refused submission is not a lead: the visitor's browser keeps retrying it until you fix the cause.
      </p>
      <RangeForm from={from} to={to} idPrefix="ch" onChange={(next) => navigate(href("capture", next))} />
      <LoadState load={load} what="capture health" />
      {load.state === "ready" && <Health h={load.data} onAllow={allow} />}
      <AllowedOrigins onAllow={allow} />
    </>
  );
}

/** Every day of the range with its count (the API lists only days that had some). */
function everyDay(h: CaptureHealth) {
  const byDay = new Map(h.days.map((d) => [d.day, d]));
  const days: { day: string; leads: number; byReason: Partial<Record<CaptureReason, number>> }[] = [];
  for (let day = h.from; day < h.to && days.length < 400; day = addDays(day, 1)) {
    const d = byDay.get(day);
    days.push({ day, leads: d?.total ?? 0, byReason: d?.byReason ?? {} });
  }
  return days;
}

function Health({ h, onAllow }: { h: CaptureHealth; onAllow: (origin: string) => Promise<void> }) {
  const days = everyDay(h);
  const reasons = ORDER.filter((r) => h.byReason[r]);
  const notAllowed = h.origins.filter((o) => !o.allowed && o.byReason.origin_not_allowed);
  const refused = h.total - (h.byReason.repaired ?? 0);
  return (
    <>
      <ul class="kpis">
        <li class="card">
          <span class="kpi-label">Submissions refused</span>
          <span class="kpi-value">{formatNumber(refused)}</span>
        </li>
        <li class="card">
          <span class="kpi-label">Kept after repair</span>
          <span class="kpi-value">{formatNumber(h.byReason.repaired ?? 0)}</span>
        </li>
        <li class="card">
          <span class="kpi-label">Origins not allowed</span>
          <span class="kpi-value">{formatNumber(notAllowed.length)}</span>
        </li>
        <li class="card">
          <span class="kpi-label">Analytics batches refused</span>
          <span class="kpi-value">{formatNumber(h.events.total)}</span>
          <span class="muted small">form views and opens, not leads</span>
        </li>
      </ul>

      <div class="grid charts">
        <section class="card wide" aria-labelledby="ch-days">
          <h2 id="ch-days">Over time</h2>
          <Chart
            title="Submissions refused or repaired per day (UTC)"
            summary={`${formatNumber(h.total)} over ${days.length} days${
              reasons.length ? `: ${reasonsText(h.byReason)}` : ""
            }.`}
            table={{
              head: ["Day", "All", ...reasons.map((r) => REASONS[r].label)],
              rows: days.map((d) => [d.day, d.leads, ...reasons.map((r) => d.byReason[r] ?? 0)]),
            }}
          >
            <DayBars data={days} label="refused or repaired" />
          </Chart>
        </section>

        <section class="card wide" aria-labelledby="ch-reasons">
          <h2 id="ch-reasons">By reason</h2>
          {reasons.length === 0 ? (
            <p class="muted">Nothing refused in this range: every submission became a lead.</p>
          ) : (
            <ul class="reason-list">
              {reasons.map((r) => (
                <li key={r}>
                  <Bars
                    max={Math.max(...reasons.map((x) => h.byReason[x] ?? 0))}
                    rows={[
                      {
                        key: r,
                        label: REASONS[r].label,
                        value: h.byReason[r] ?? 0,
                        text: formatNumber(h.byReason[r] ?? 0),
                        tone: r === "repaired" ? "tone-stage" : "tone-spam",
                      },
                    ]}
                  />
                  <p class="muted small reason-help">{REASONS[r].help}</p>
                </li>
              ))}
            </ul>
          )}
          {h.events.total > 0 && (
            <p class="small">
              Also refused: {formatNumber(h.events.total)} analytics{" "}
              {h.events.total === 1 ? "batch" : "batches"} ({reasonsText(h.events.byReason)}).
            </p>
          )}
        </section>
      </div>

      <section class="card" aria-labelledby="ch-origins">
        <h2 id="ch-origins">Origins</h2>
        {h.origins.length === 0 ? (
          <p class="muted">No origin sent anything refused in this range.</p>
        ) : (
          <ScrollRegion label="Origins with refused or repaired submissions">
            <table class="origins">
              <caption class="visually-hidden">
                Origins with refused or repaired submissions, those not allowed first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Origin</th>
                  <th scope="col" class="num">
                    Submissions
                  </th>
                  <th scope="col" class="num">
                    Analytics
                  </th>
                  <th scope="col">Why</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Allowed</th>
                </tr>
              </thead>
              <tbody>
                {h.origins.map((o) => (
                  <OriginRow key={o.origin} o={o} onAllow={onAllow} />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </section>
    </>
  );
}

function OriginRow({
  o,
  onAllow,
}: {
  o: CaptureHealth["origins"][number];
  onAllow: (origin: string) => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const allowable = !o.allowed && parseOrigin(o.origin) === o.origin;
  const click = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await onAllow(o.origin);
    } catch (error) {
      setProblem(describeError(error));
      announce(`${o.origin} could not be allowed: ${describeError(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <th scope="row" class="origin-cell">
        {originLabel(o.origin)}
      </th>
      <td class="num">{formatNumber(o.submissions)}</td>
      <td class="num">{formatNumber(o.events)}</td>
      <td class="small">{reasonsText(o.byReason)}</td>
      <td>{formatTime(o.lastSeen)}</td>
      <td>
        {o.allowed ? (
          <Badge kind="status" value="allowed" />
        ) : allowable ? (
          <>
            <button
              type="button"
              class="button button-small"
              disabled={busy}
              aria-label={`Allow this origin: ${o.origin}`}
              onClick={click}
            >
              {busy ? "Allowing…" : "Allow this origin"}
            </button>
            {problem && (
              <p class="field-error" role="alert">
                {problem}
              </p>
            )}
          </>
        ) : (
          <span class="muted small">Cannot be allowed</span>
        )}
      </td>
    </tr>
  );
}

/** The site's allowed origins as saved (placeholders named, not resolved), and a field to add one. */
function AllowedOrigins({ onAllow }: { onAllow: (origin: string) => Promise<void> }) {
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const s = saved.value;
  const list = s.state === "ready" ? (s.answer.config.allowedOrigins ?? []) : [];
  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = originProblem(value);
    if (problem) {
      setError(problem);
      document.getElementById("ch-add")?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onAllow(parseOrigin(value)!);
      setValue("");
    } catch (failure) {
      setError(
        failure instanceof ApiFailure ? (failure.fields?.origin ?? failure.message) : describeError(failure),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="ch-allowed">
      <h2 id="ch-allowed">Allowed origins</h2>
      <p class="muted small">
        Pages on these origins may send leads for this site. Adding one saves a new version of the site's
        configuration (see History); the edge accepts it within seconds.
      </p>
      {s.state === "error" && (
        <p class="error" role="alert">
          Could not load the configuration: {s.message}
        </p>
      )}
      {s.state === "ready" &&
        (list.length === 0 ? (
          <p class="muted">No origin is allowed yet: browsers cannot send leads for this site.</p>
        ) : (
          <ul class="allowed-origins">
            {list.map((entry) => (
              <li key={entry}>
                <code>{entry}</code>
                {/^\$\{/.test(entry) && <span class="muted small"> (origins set by the deployment)</span>}
              </li>
            ))}
          </ul>
        ))}
      <form class="allow-form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="ch-add">Origin to allow</label>
          <input
            id="ch-add"
            type="url"
            inputMode="url"
            autoComplete="off"
            spellcheck={false}
            placeholder="https://shop.example.com"
            value={value}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "ch-add-hint ch-add-error" : "ch-add-hint"}
            onInput={(e) => {
              setValue(e.currentTarget.value);
              if (error) setError(null);
            }}
          />
          <p class="hint" id="ch-add-hint">
            Scheme, host and port only, as the browser's address bar starts: https://shop.example.com
          </p>
          {error && (
            <p class="field-error" id="ch-add-error">
              {error}
            </p>
          )}
        </div>
        <button type="submit" class="button" disabled={busy}>
          {busy ? "Allowing…" : "Allow origin"}
        </button>
      </form>
    </section>
  );
}
