#!/usr/bin/env node
// Why this exists: the package mirror this project is built on holds only some platform builds of
// packages that ship native binaries (workerd, esbuild, biome). `npm install` then writes a lock file
// without the missing platforms' optional entries, and `npm ci` refuses that lock as out of sync.
// This adds the missing optional entries back with the os/cpu/libc a full registry would record, so
// `npm ci` skips them on this platform and still installs them on a Mac or Windows machine.
// Run after `npm install` changes dependencies: `npm run lock:fix`.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const pkgs = lock.packages;

/** Platform fields from a platform package's name, e.g. `@biomejs/cli-linux-x64-musl`. */
function platformOf(name) {
  const t = name.split("/").pop().split("-");
  const os = t.includes("darwin")
    ? "darwin"
    : t.includes("win32") || t.includes("windows")
      ? "win32"
      : t.includes("android")
        ? "android"
        : t.includes("freebsd")
          ? "freebsd"
          : t.includes("linux")
            ? "linux"
            : undefined;
  const cpu = t.includes("arm64")
    ? "arm64"
    : t.includes("x64") || t.includes("64")
      ? "x64"
      : t.includes("arm")
        ? "arm"
        : t.includes("ia32")
          ? "ia32"
          : undefined;
  const out = {};
  if (os) out.os = [os];
  if (cpu) out.cpu = [cpu];
  if (t.includes("musl")) out.libc = ["musl"];
  return out;
}

function resolve(from, dep) {
  let dir = from;
  for (;;) {
    const candidate = dir === "" ? `node_modules/${dep}` : `${dir}/node_modules/${dep}`;
    if (pkgs[candidate]) return candidate;
    if (dir === "") return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut === -1 ? "" : dir.slice(0, cut);
  }
}

let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    // Node resolution: the nearest node_modules/<dep> walking up from the dependent wins.
    const found = resolve(key, dep);
    if (found && pkgs[found].version === version) continue;
    const plat = platformOf(dep);
    if (!plat.os) continue; // not a platform package: leave npm's decision alone
    const at = found ? `${key}/node_modules/${dep}` : `node_modules/${dep}`;
    pkgs[at] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...plat };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-optional: added ${added} platform entries`);
