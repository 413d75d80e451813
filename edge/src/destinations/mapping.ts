/**
 * Field mappings: a CRM property → where its value comes from in the lead (see MappingSchema in
 * shared/destinations.ts). Each CRM has a documented default the marketer's mapping is merged over.
 */
import type { Mapping } from "../../../shared/destinations.ts";
import type { Lead } from "../../../shared/lead.ts";

/** The name split the way CRMs want it: everything before the last space, and the last word. */
function nameParts(lead: Lead): { firstName: string; lastName: string } {
  const full = [lead.fields.name, lead.fields.full_name, lead.fields.fullName].find(
    (v) => typeof v === "string",
  );
  const first = lead.fields.first_name ?? lead.fields.firstName;
  const last = lead.fields.last_name ?? lead.fields.lastName;
  if (typeof first === "string" || typeof last === "string")
    return { firstName: String(first ?? ""), lastName: String(last ?? "") };
  const words = String(full ?? "")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (words.length <= 1) return { firstName: "", lastName: words[0] ?? "" };
  return { firstName: words.slice(0, -1).join(" "), lastName: words.at(-1)! };
}

/** The value at a mapping source, as text (lists joined with ";"), or undefined when absent. */
export function sourceValue(lead: Lead, source: string): string | undefined {
  if (source.startsWith("=")) return source.slice(1);
  const derived: Record<string, () => unknown> = {
    firstName: () => nameParts(lead).firstName,
    lastName: () => nameParts(lead).lastName,
    reasons: () => lead.reasons.map((r) => `${r.label} (${r.points > 0 ? "+" : ""}${r.points})`).join("; "),
    channel: () => lead.lastTouch.channel,
    /** "Ada Lovelace (Analytical Engines)", or the email when there is no name. */
    displayName: () => {
      const { firstName, lastName } = nameParts(lead);
      const name = [firstName, lastName].filter(Boolean).join(" ") || lead.email;
      const company = lead.fields.company;
      return typeof company === "string" && company ? `${name} (${company})` : name;
    },
  };
  let value: unknown = derived[source]
    ? derived[source]()
    : source
        .split(".")
        .reduce<unknown>(
          (v, key) =>
            v !== null && typeof v === "object" && Object.hasOwn(v, key)
              ? (v as Record<string, unknown>)[key]
              : undefined,
          lead,
        );
  if (Array.isArray(value)) value = value.join(";");
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Applies `defaults` overridden by `custom` (an empty source drops a default). */
export function applyMapping(
  lead: Lead,
  defaults: Mapping,
  custom: Mapping | undefined,
): Record<string, string> {
  const merged = { ...defaults, ...custom };
  const out: Record<string, string> = {};
  for (const [target, source] of Object.entries(merged)) {
    if (!source) continue;
    const value = sourceValue(lead, source);
    if (value !== undefined) out[target] = value;
  }
  return out;
}
