/**
 * The README's layout table matches the tree: every path it names exists, and every folder of the
 * code (and every module of shared/, the contract) is named in it. A new folder without a line there,
 * or a line left behind by a move, fails here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TOPS = ["shared/", "widget/", "edge/", "demo-site/", "tests/"];

/** Every path the layout table names, resolved against its row's path when it is relative. */
function namedPaths(): { named: Set<string>; rows: string[] } {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  const start = readme.indexOf("| path ");
  expect(start, "the README has a layout table").toBeGreaterThan(0);
  const lines = readme.slice(start).split("\n");
  const table = lines.slice(
    2,
    lines.findIndex((line) => !line.startsWith("|")),
  );
  const named = new Set<string>();
  const rows: string[] = [];
  for (const line of table) {
    const [, first = "", rest = ""] = line.split("|");
    const row = first.trim().replaceAll("`", "");
    rows.push(row);
    named.add(row);
    for (const [, token] of rest.matchAll(/`([\w./-]+)`/g)) {
      if (!token || !/[./]/.test(token) || token.startsWith(".")) continue;
      // Relative to the row's path where that exists (tests/ names `widget/`), else from the root;
      // path.join keeps a folder's trailing slash.
      const relative = join(row, token);
      named.add(
        existsSync(join(REPO, relative)) || !TOPS.some((top) => token.startsWith(top)) ? relative : token,
      );
    }
  }
  return { named, rows };
}

const BUILT = ["dist", "node_modules", ".wrangler"];

/** Whether a folder holds anything but build output (a folder a move left behind holds only that). */
function hasSource(path: string): boolean {
  return readdirSync(path, { withFileTypes: true }).some(
    (entry) => !BUILT.includes(entry.name) && (!entry.isDirectory() || hasSource(join(path, entry.name))),
  );
}

const folders = (dir: string) =>
  readdirSync(join(REPO, dir))
    .filter((name) => !BUILT.includes(name) && statSync(join(REPO, dir, name)).isDirectory())
    .filter((name) => hasSource(join(REPO, dir, name)))
    .map((name) => `${dir}${name}/`);

describe("the README's layout table", () => {
  const { named, rows } = namedPaths();

  it("names only paths that exist", () => {
    const missing = [...named].filter((path) => !existsSync(join(REPO, path)));
    expect(missing).toEqual([]);
    expect(rows.length).toBeGreaterThan(10);
  });

  it("names every folder of the code and every module of shared/", () => {
    const expected = [
      ...folders("shared/"),
      ...folders("widget/src/"),
      ...folders("edge/src/"),
      ...folders("edge/src/stores/"),
      ...folders("demo-site/"),
      ...folders("edge/console/src/"),
      ...folders("tests/"),
      ...readdirSync(join(REPO, "shared"))
        .filter((name) => name.endsWith(".ts"))
        .map((name) => `shared/${name}`),
    ];
    const unnamed = expected.filter((path) => !named.has(path));
    expect(unnamed).toEqual([]);
  });
});
