// @vitest-environment node
/**
 * The widget's modules import each other without a cycle at run time (type-only imports aside): a
 * cycle makes the order modules initialise in depend on which one a bundle or a test reaches first.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../widget/src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Relative imports and re-exports that stay in the bundle: `import type` / `export type` do not. */
function runtimeImports(file: string): string[] {
  const code = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of code.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"/gms))
    if (!match[2]) found.push(resolve(dirname(file), match[3]!));
  for (const match of code.matchAll(/^import\s+"(\.[^"]+)"/gm)) found.push(resolve(dirname(file), match[1]!));
  return found;
}

/** Every cycle reachable in `graph`, as the files around it (relative to widget/src). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    const at = path.indexOf(file);
    if (at >= 0) return void found.push([...path.slice(at), file]);
    if (done.has(file)) return;
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) visit(file);
  return found;
}

describe("widget imports", () => {
  it("finds a cycle when there is one (the check can fail)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(cycles(graph)).toEqual([["a", "b", "c", "a"]]);
    expect(cycles(new Map([["a", ["b"]]]))).toEqual([]);
  });

  it("has no run-time import cycle in widget/src", () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(10);
    const graph = new Map(files.map((file) => [file, runtimeImports(file)]));
    // The parser sees the imports it must: ui/inline.ts imports ui/index.tsx's `mount`.
    expect(graph.get(join(SRC, "ui/inline.ts"))).toContain(join(SRC, "ui/index.tsx"));
    const named = cycles(graph).map((cycle) => cycle.map((file) => relative(SRC, file)));
    expect(named).toEqual([]);
  });
});
