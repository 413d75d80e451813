/** Formatting shared by the screens: numbers, percentages, times, dates (UTC days, as the API counts). */

const number = new Intl.NumberFormat("en");
const percent = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const shortDay = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

export const formatNumber = (n: number) => number.format(n);

/** A rate, or "—" when the denominator is zero (no impressions is not a 0 % conversion rate). */
export const formatRate = (part: number, whole: number) => (whole > 0 ? percent.format(part / whole) : "—");

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export const formatDay = (day: string) => shortDay.format(new Date(`${day}T00:00:00Z`));

/** YYYY-MM-DD of a time, in UTC. */
export const isoDay = (date: Date) => date.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** "organic_search" → "Organic search". */
export function humanize(id: string): string {
  const text = id.replace(/[_-]+/g, " ").trim();
  return text ? text[0]!.toUpperCase() + text.slice(1) : "—";
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A field value as text: lists joined, booleans as yes/no. */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}
