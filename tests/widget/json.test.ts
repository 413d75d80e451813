/**
 * The widget's JSON writer: the same text on any page, whatever the page did to JSON.stringify or to
 * toJSON on the built-ins' prototypes (Prototype.js, json2, plugins extending Object.prototype).
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "../../widget/src/json.ts";

type Patchable = { toJSON?: unknown };
const patched: Array<() => void> = [];
function patch<T extends object>(target: T, key: string, value: unknown, enumerable = false) {
  const before = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable });
  patched.push(() => {
    if (before) Object.defineProperty(target, key, before);
    else delete (target as Record<string, unknown>)[key];
  });
}
afterEach(() => {
  for (const undo of patched.splice(0).reverse()) undo();
});

describe("stringify", () => {
  it("writes JSON that parses back to the same value, for any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(stringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it("escapes quotes, backslashes, control characters and line separators", () => {
    const text = 'a"b\\c\n\t\u0000\u2028é😀';
    expect(JSON.parse(stringify({ text }))).toEqual({ text });
    expect(stringify("\u2028")).toBe('"\\u2028"');
  });

  it("leaves out undefined and functions as JSON does, writes null for them in arrays and for NaN", () => {
    expect(stringify({ a: undefined, b: () => 1, c: 1 })).toBe('{"c":1}');
    expect(stringify([undefined, Number.NaN, Number.POSITIVE_INFINITY])).toBe("[null,null,null]");
  });

  it("writes a Date as its ISO time (a page's date-reviving JSON.parse makes them out of strings)", () => {
    expect(stringify({ at: new Date("2026-12-07T10:00:00.000Z") })).toBe('{"at":"2026-12-07T10:00:00.000Z"}');
    expect(stringify(new Date(Number.NaN))).toBe("null");
  });

  it("is the same text on a page that set toJSON everywhere, extended Object.prototype and replaced JSON.stringify", () => {
    const value = {
      fields: { email: "ada@example.com", sources: ["stripe", "crm"], seats: 10, consent: true },
      engagement: { abandonedFields: ["company"], keyPages: { pricing: 2 } },
    };
    const clean = stringify(value);
    for (const proto of [
      Array.prototype,
      Object.prototype,
      String.prototype,
      Number.prototype,
      Boolean.prototype,
    ])
      patch(proto, "toJSON", () => "BROKEN", proto === Object.prototype);
    patch(Object.prototype, "extend", () => {}, true);
    patch(Object.prototype, "first", "polluted", true);
    patch(Array.prototype, "each", () => {}, true);
    patch(JSON, "stringify", () => '"BROKEN-JSON"');
    expect(JSON.stringify(value)).toBe('"BROKEN-JSON"');
    expect(stringify(value)).toBe(clean);
    expect(clean).toBe(
      '{"fields":{"email":"ada@example.com","sources":["stripe","crm"],"seats":10,"consent":true},"engagement":{"abandonedFields":["company"],"keyPages":{"pricing":2}}}',
    );
    expect((Array.prototype as Patchable).toJSON).toBeTypeOf("function");
  });
});
