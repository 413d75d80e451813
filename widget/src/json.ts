/**
 * JSON text of the widget's own plain data (strings, numbers, booleans, arrays, plain objects,
 * dates), written without the page's `JSON.stringify` and without asking anything for `toJSON`.
 * Pages still carry libraries that set `toJSON` on Array, Object, String or Date (Prototype.js
 * turned every array into a string), add enumerable members to Object.prototype, or replace
 * `JSON.stringify` outright; any of them used to corrupt the submission, and the edge refused it.
 * Own enumerable keys only, no method of the page's prototypes (Array `map` included): the same text
 * on every page. A Date (a page's date-reviving JSON.parse makes them out of stored strings) becomes
 * its ISO string, as it would by its own toJSON.
 */
/** What JSON text must escape (and the two separators some parsers choke on). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes exactly these characters.
const ESCAPED = /[\\"\u0000-\u001f\u2028\u2029]/g;
const quote = (text: string) =>
  `"${text.replace(ESCAPED, (c) => `\\u${(c.charCodeAt(0) + 65536).toString(16).slice(1)}`)}"`;

export function stringify(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return Number.isFinite(value) ? `${value}` : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return Number.isNaN(+value) ? "null" : quote(value.toISOString());
  if (!value || typeof value !== "object") return "null";
  let out = "";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) out += `${i ? "," : ""}${stringify(value[i])}`;
    return `[${out}]`;
  }
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && typeof item !== "function")
      out += `${out ? "," : ""}${quote(key)}:${stringify(item)}`;
  }
  return `{${out}}`;
}
