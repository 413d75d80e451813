/**
 * Leads: search, filters, sorting and paging done by the admin API (cursor paging, so thousands of
 * leads cost one page each), CSV export of the filtered set. The filter lives in the URL.
 */
import { useEffect, useState } from "preact/hooks";
import { api, describeError, type PublicSiteConfig } from "../api.ts";
import { formatNumber, formatTime, humanize } from "../format.ts";
import {
  CHANNELS,
  downloadCsv,
  fetchLeads,
  filterFromParams,
  filterParams,
  isFiltered,
  type LeadFilter,
  leadCompany,
  leadName,
  PAGE_SIZES,
  type Sort,
  STAGES,
  TEMPERATURES,
} from "../leads-query.ts";
import { href, navigate } from "../router.ts";
import { session } from "../session.ts";
import { announce, Badge, LoadState, PageTitle, ScrollRegion, useLoad } from "../ui/common.tsx";

const REFRESH_MS = 15_000;

/** Form ids of the site, for the form filter (public settings: no token needed). */
function useForms(site: string): string[] {
  const [forms, setForms] = useState<string[]>([]);
  useEffect(() => {
    api<PublicSiteConfig>(`/v1/sites/${encodeURIComponent(site)}`, { anonymous: true }).then(
      (config) => setForms(config.forms.map((f) => f.id)),
      () => setForms([]),
    );
  }, [site]);
  return forms;
}

export function LeadsScreen({ params }: { params: URLSearchParams }) {
  const site = session.value!.site;
  const filter = filterFromParams(params);
  const limit: number = PAGE_SIZES.find((n) => String(n) === params.get("limit")) ?? 50;
  const filterKey = JSON.stringify([site, filterParams(filter), limit]);
  /** Cursors of the pages seen so far: page n starts at cursors[n]. */
  const [pages, setPages] = useState<{ key: string; cursors: (string | null)[] }>({
    key: filterKey,
    cursors: [null],
  });
  const cursors = pages.key === filterKey ? pages.cursors : [null];
  const pageIndex = cursors.length - 1;
  const cursor = cursors[pageIndex] ?? null;
  const [load, reload] = useLoad(`${filterKey}|${cursor}`, (signal) =>
    fetchLeads(site, filter, limit, cursor, signal),
  );
  const forms = useForms(site);
  // The newest page follows new leads as they arrive (every 15 s while the tab is visible); older
  // pages stay still so rows do not move under the reader.
  useEffect(() => {
    if (pageIndex !== 0) return;
    const timer = setInterval(() => document.visibilityState === "visible" && reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [pageIndex, reload]);
  const [exporting, setExporting] = useState(false);

  const update = (change: Partial<LeadFilter>, replace = false, size = limit) => {
    const next = { ...filter, ...change };
    navigate(
      href("leads", { ...filterParams(next), limit: size === 50 ? undefined : String(size) }),
      replace,
    );
  };

  const download = async () => {
    setExporting(true);
    try {
      const rows = await downloadCsv(site, filter);
      announce(`Exported ${formatNumber(rows)} leads as CSV.`);
    } catch (error) {
      announce(`The export failed: ${describeError(error)}`);
    } finally {
      setExporting(false);
    }
  };

  const page = load.state === "ready" ? load.data : null;
  const first = pageIndex * limit;

  return (
    <>
      <div class="page-head">
        <PageTitle title="Leads">Leads</PageTitle>
        <div class="actions">
          <button type="button" class="button button-ghost" onClick={reload}>
            Refresh
          </button>
          <button type="button" class="button" onClick={download} disabled={exporting}>
            {exporting ? "Exporting…" : "Export CSV"}
          </button>
        </div>
      </div>

      <Filters filter={filter} forms={forms} update={update} />

      <div class="list-meta">
        {pageIndex === 0 && <p class="muted small">New leads appear here as they arrive.</p>}
        <p role="status" class="muted">
          {page
            ? page.leads.length === 0
              ? isFiltered(filter)
                ? "No lead matches these filters."
                : "No leads yet."
              : `Showing ${formatNumber(first + 1)}–${formatNumber(first + page.leads.length)}${
                  page.total !== undefined ? ` of ${formatNumber(page.total)}` : ""
                } leads`
            : ""}
        </p>
      </div>

      <LoadState load={load} what="leads" />
      {page && page.leads.length > 0 && (
        <LeadsTable leads={page.leads} sort={filter.sort} onSort={(sort) => update({ sort })} />
      )}

      <nav class="pager" aria-label="Pages">
        <div class="field inline">
          <label for="limit">Per page</label>
          <select
            id="limit"
            value={String(limit)}
            onChange={(e) => update({}, false, Number(e.currentTarget.value))}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          class="button button-ghost"
          disabled={pageIndex === 0}
          onClick={() => setPages({ key: filterKey, cursors: cursors.slice(0, -1) })}
        >
          ← Newer
        </button>
        <span class="muted">Page {pageIndex + 1}</span>
        <button
          type="button"
          class="button button-ghost"
          disabled={!page?.nextCursor}
          onClick={() =>
            page?.nextCursor && setPages({ key: filterKey, cursors: [...cursors, page.nextCursor] })
          }
        >
          Older →
        </button>
      </nav>
    </>
  );
}

function Filters({
  filter,
  forms,
  update,
}: {
  filter: LeadFilter;
  forms: string[];
  update: (change: Partial<LeadFilter>, replace?: boolean) => void;
}) {
  // The search box updates the URL after a pause in typing, replacing (not adding) history entries.
  const [q, setQ] = useState(filter.q);
  useEffect(() => setQ(filter.q), [filter.q]);
  useEffect(() => {
    if (q === filter.q) return;
    const timer = setTimeout(() => update({ q }, true), 300);
    return () => clearTimeout(timer);
  });
  const [open, setOpen] = useState(() => matchMedia("(min-width: 561px)").matches);
  const { q: _q, sort: _s, ...rest } = filterParams(filter);
  const active = Object.values(rest).filter((v) => v !== undefined).length;
  const toggle = (list: string[], value: string, on: boolean) =>
    on ? [...list.filter((v) => v !== value), value] : list.filter((v) => v !== value);

  return (
    <form
      class="filters card"
      aria-label="Filter leads"
      onSubmit={(e) => {
        e.preventDefault();
        update({ q });
      }}
    >
      <div class="filters-top">
        <div class="field filters-search">
          <label for="q">Search</label>
          <input
            id="q"
            type="search"
            placeholder="Email, name or company"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button">
          Search
        </button>
        {isFiltered(filter) && (
          <a
            class="button button-ghost"
            href={href("leads", filter.sort === "-created" ? {} : { sort: filter.sort })}
          >
            Clear filters
          </a>
        )}
      </div>
      {/* Open on wide screens; on a phone the list comes first and the filters open on demand. */}
      <details class="filters-more" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Filters{active > 0 ? ` (${active} on)` : ""}</summary>
        <div class="filters-grid">
          <fieldset class="checks">
            <legend>Temperature</legend>
            {TEMPERATURES.map((t) => (
              <label key={t}>
                <input
                  type="checkbox"
                  checked={filter.temperature.includes(t)}
                  onChange={(e) =>
                    update({ temperature: toggle(filter.temperature, t, e.currentTarget.checked) })
                  }
                />
                {humanize(t)}
              </label>
            ))}
          </fieldset>
          <fieldset class="checks">
            <legend>Stage</legend>
            {STAGES.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  checked={filter.stage.includes(s)}
                  onChange={(e) => update({ stage: toggle(filter.stage, s, e.currentTarget.checked) })}
                />
                {s === "customer" ? "Customer" : s}
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for="f-form">Form</label>
            <select id="f-form" value={filter.form} onChange={(e) => update({ form: e.currentTarget.value })}>
              <option value="">All forms</option>
              {[...new Set([...forms, ...(filter.form ? [filter.form] : [])])].map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-channel">First-touch channel</label>
            <select
              id="f-channel"
              value={filter.channel}
              onChange={(e) => update({ channel: e.currentTarget.value })}
            >
              <option value="">All channels</option>
              {[...new Set([...CHANNELS, ...(filter.channel ? [filter.channel] : [])])].map((c) => (
                <option key={c} value={c}>
                  {humanize(c)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-from">Created from</label>
            <input
              id="f-from"
              type="date"
              value={filter.from}
              onChange={(e) => update({ from: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="f-to">Created to</label>
            <input
              id="f-to"
              type="date"
              value={filter.to}
              onChange={(e) => update({ to: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="f-min">Score from</label>
            <input
              id="f-min"
              type="number"
              min={0}
              max={100}
              inputMode="numeric"
              value={filter.minScore}
              onChange={(e) => update({ minScore: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="f-max">Score to</label>
            <input
              id="f-max"
              type="number"
              min={0}
              max={100}
              inputMode="numeric"
              value={filter.maxScore}
              onChange={(e) => update({ maxScore: e.currentTarget.value })}
            />
          </div>
        </div>
      </details>
    </form>
  );
}

function SortHeader({
  label,
  field,
  sort,
  onSort,
}: {
  label: string;
  field: "created" | "score";
  sort: Sort;
  onSort: (s: Sort) => void;
}) {
  const active = sort.replace(/^-/, "") === field;
  const descending = sort.startsWith("-");
  return (
    <th
      scope="col"
      class={field === "score" ? "num" : ""}
      aria-sort={active ? (descending ? "descending" : "ascending") : undefined}
    >
      <button
        type="button"
        class="sort"
        onClick={() => onSort(active && descending ? (field as Sort) : (`-${field}` as Sort))}
      >
        {label}
        <span aria-hidden="true">{active ? (descending ? " ↓" : " ↑") : " ↕"}</span>
      </button>
    </th>
  );
}

function LeadsTable({
  leads,
  sort,
  onSort,
}: {
  leads: import("../api.ts").Lead[];
  sort: Sort;
  onSort: (s: Sort) => void;
}) {
  return (
    <ScrollRegion label="Leads table">
      <table class="leads">
        <caption class="visually-hidden">Leads; the column buttons Created and Score sort the list.</caption>
        <thead>
          <tr>
            <th scope="col">Lead</th>
            <th scope="col">Company</th>
            <SortHeader label="Score" field="score" sort={sort} onSort={onSort} />
            <th scope="col">Temperature</th>
            <th scope="col">Stage</th>
            <th scope="col">Form</th>
            <th scope="col">Channel</th>
            <SortHeader label="Created" field="created" sort={sort} onSort={onSort} />
          </tr>
        </thead>
        <tbody>
          {leads.map((lead) => (
            <tr key={lead.id}>
              <td>
                <a href={`#/leads/${encodeURIComponent(lead.id)}`} class="lead-link">
                  {leadName(lead) || lead.email}
                </a>
                {leadName(lead) && <div class="muted small">{lead.email}</div>}
              </td>
              <td>{leadCompany(lead)}</td>
              <td class="num">{lead.score}</td>
              <td>
                <Badge kind="temperature" value={lead.temperature} />
              </td>
              <td>
                <Badge kind="stage" value={lead.stage} />
              </td>
              <td>{lead.form}</td>
              <td>{humanize(lead.firstTouch.channel ?? "other")}</td>
              <td class="nowrap">{formatTime(lead.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
