/**
 * Charts as hand-written SVG: shapes in SVG (scaled with preserveAspectRatio="none"), every text in
 * HTML so it stays readable at phone width. No inline styles (the CSP forbids them): sizes are SVG
 * attributes, colours are classes. Each chart has a text alternative and its data as a table.
 */
import type { ComponentChildren } from "preact";
import { formatDay, formatNumber } from "../format.ts";
import { ScrollRegion } from "./common.tsx";

interface ChartProps {
  title: string;
  /** One sentence a screen reader hears for the picture. */
  summary: string;
  table: { head: string[]; rows: (string | number)[][] };
  children: ComponentChildren;
}

export function Chart({ title, summary, table, children }: ChartProps) {
  return (
    <figure class="chart">
      <figcaption class="chart-title">{title}</figcaption>
      <div role="img" aria-label={summary}>
        {children}
      </div>
      <details class="chart-data">
        <summary>Data table</summary>
        <ScrollRegion label={`${title}: data`}>
          <table>
            <thead>
              <tr>
                {table.head.map((h) => (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={String(row[0])}>
                  {row.map((cell, i) =>
                    i === 0 ? <th scope="row">{cell}</th> : <td class="num">{cell}</td>,
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </details>
    </figure>
  );
}

/** A round axis maximum: 1, 2, 5 × 10^n at or above the largest value. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Leads per day: vertical bars with a light grid; day labels under it, values on the left. */
export function DayBars({ data, label }: { data: { day: string; leads: number }[]; label: string }) {
  const max = niceMax(Math.max(0, ...data.map((d) => d.leads)));
  const n = Math.max(data.length, 1);
  const ticks = data.length <= 1 ? data : [data[0]!, data[Math.floor((data.length - 1) / 2)]!, data.at(-1)!];
  return (
    <div class="daybars">
      <div class="daybars-y" aria-hidden="true">
        <span>{formatNumber(max)}</span>
        <span>{Number.isInteger(max / 2) ? formatNumber(max / 2) : ""}</span>
        <span>0</span>
      </div>
      <svg class="daybars-plot" viewBox={`0 0 ${n} 100`} preserveAspectRatio="none" aria-hidden="true">
        {[0, 50, 100].map((y) => (
          <line key={y} class="grid" x1="0" x2={n} y1={y} y2={y} vector-effect="non-scaling-stroke" />
        ))}
        {data.map((d, i) => {
          const h = (d.leads / max) * 100;
          return (
            <rect key={d.day} class="bar" x={i + 0.15} width="0.7" y={100 - h} height={h}>
              <title>{`${formatDay(d.day)}: ${d.leads} ${label}`}</title>
            </rect>
          );
        })}
      </svg>
      <div class="daybars-x" aria-hidden="true">
        {ticks.map((d) => (
          <span key={d.day}>{formatDay(d.day)}</span>
        ))}
      </div>
    </div>
  );
}

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** What is written next to the bar (a count, a rate with its parts). */
  text: string;
  tone?: string;
}

/** Horizontal bars, one row each: label, bar, value. */
export function Bars({ rows, max }: { rows: BarRow[]; max?: number }) {
  const top = max ?? Math.max(0, ...rows.map((r) => r.value));
  if (rows.length === 0) return <p class="muted">Nothing in this range.</p>;
  return (
    <ul class="bars">
      {rows.map((row) => (
        <li key={row.key} class="bars-row">
          <span class="bars-label">{row.label}</span>
          <svg class="bars-track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect class="track" x="0" y="0" width="100" height="10" />
            <rect
              class={`bar ${row.tone ?? ""}`}
              x="0"
              y="0"
              width={top > 0 ? Math.max((row.value / top) * 100, row.value > 0 ? 0.8 : 0) : 0}
              height="10"
            />
          </svg>
          <span class="bars-value">{row.text}</span>
        </li>
      ))}
    </ul>
  );
}

/** One bar split into parts (temperature mix), with a legend carrying the numbers. */
export function Stacked({ parts }: { parts: { key: string; label: string; value: number; tone: string }[] }) {
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  let x = 0;
  return (
    <div class="stacked">
      <svg class="stacked-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
        <rect class="track" x="0" y="0" width="100" height="10" />
        {total > 0 &&
          parts.map((p) => {
            const w = (p.value / total) * 100;
            const rect = <rect key={p.key} class={`bar ${p.tone}`} x={x} y="0" width={w} height="10" />;
            x += w;
            return rect;
          })}
      </svg>
      <ul class="legend">
        {parts.map((p) => (
          <li key={p.key}>
            <span class={`swatch ${p.tone}`} aria-hidden="true" />
            {p.label} <strong>{formatNumber(p.value)}</strong>
            <span class="muted"> ({total > 0 ? Math.round((p.value / total) * 100) : 0} %)</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
