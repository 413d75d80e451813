/** A date range (UTC days, both ends included) with quick presets: the metrics and capture health screens. */
import { addDays, isoDay } from "../format.ts";

const PRESETS = [7, 30, 90] as const;
export const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The range in the URL: the last 30 days by default, `to` today. */
export function rangeFrom(params: URLSearchParams, today = isoDay(new Date())): { from: string; to: string } {
  const to = DAY.test(params.get("to") ?? "") ? params.get("to")! : today;
  const from = DAY.test(params.get("from") ?? "") ? params.get("from")! : addDays(to, -29);
  return from <= to ? { from, to } : { from: to, to };
}

export function RangeForm({
  from,
  to,
  idPrefix,
  onChange,
}: {
  from: string;
  to: string;
  /** Keeps the inputs' ids unique per screen. */
  idPrefix: string;
  onChange: (next: { from: string; to: string }) => void;
}) {
  const today = isoDay(new Date());
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  return (
    <form class="card range" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label for={`${idPrefix}-from`}>From</label>
        <input
          id={`${idPrefix}-from`}
          type="date"
          value={from}
          max={to}
          onChange={(e) => DAY.test(e.currentTarget.value) && onChange({ from: e.currentTarget.value, to })}
        />
      </div>
      <div class="field">
        <label for={`${idPrefix}-to`}>To</label>
        <input
          id={`${idPrefix}-to`}
          type="date"
          value={to}
          min={from}
          onChange={(e) => DAY.test(e.currentTarget.value) && onChange({ from, to: e.currentTarget.value })}
        />
      </div>
      <fieldset class="presets">
        <legend class="visually-hidden">Quick ranges</legend>
        {PRESETS.map((n) => (
          <button
            key={n}
            type="button"
            class="button button-ghost button-small"
            aria-pressed={to === today && days === n}
            onClick={() => onChange({ from: addDays(today, -(n - 1)), to: today })}
          >
            Last {n} days
          </button>
        ))}
      </fieldset>
    </form>
  );
}
