/**
 * What the tests need beside the clone: a Chromium for the end-to-end tests and a redis-server for the
 * Upstash store's tests. `npm test` runs this first (`pretest`): it finds them, or installs them the way
 * the machine installs software (Debian/Ubuntu: apt-get; macOS: Homebrew; otherwise Playwright's own
 * browser download where the machine allows it), saying in one line what it is doing. The tests and
 * the dev stack find them with the same functions.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The first path that exists: an explicit variable wins, then the usual places, then PATH. */
function firstExisting(candidates: (string | undefined)[], names: string[]): string | undefined {
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Playwright's own downloaded Chromium, when `playwright-core install chromium` ran on this machine. */
function playwrightChromium(): string | undefined {
  try {
    const out = execFileSync(
      process.execPath,
      ["-e", "process.stdout.write(require('playwright-core').chromium.executablePath())"],
      { stdio: ["ignore", "pipe", "ignore"], cwd: fileURLToPath(new URL("../..", import.meta.url)) },
    ).toString();
    return out || undefined;
  } catch {
    return undefined;
  }
}

export function findChromium(): string | undefined {
  return (
    firstExisting(
      [
        process.env.CHROMIUM_PATH,
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/snap/bin/chromium",
        "/usr/bin/google-chrome",
        "/usr/bin/google-chrome-stable",
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
      ],
      ["chromium", "chromium-browser", "google-chrome"],
    ) ?? firstExisting([playwrightChromium()], [])
  );
}

export function findRedisServer(): string | undefined {
  return firstExisting(
    [
      process.env.REDIS_SERVER,
      "/usr/bin/redis-server",
      "/usr/local/bin/redis-server",
      "/opt/homebrew/bin/redis-server",
    ],
    ["redis-server"],
  );
}

const has = (command: string) =>
  spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

/** Runs a system package manager, as root or through `sudo -n` (never a password prompt in a test run). */
function system(command: string[]): boolean {
  const root = process.getuid?.() === 0;
  const argv = root || process.platform === "darwin" ? command : ["sudo", "-n", ...command];
  const [file, ...args] = argv as [string, ...string[]];
  const result = spawnSync(file, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

/** The ways this machine can install a tool, most native first. */
function installers(
  apt: string[],
  brew: string[],
  download?: string[],
): { say: string; run: () => boolean }[] {
  const ways: { say: string; run: () => boolean }[] = [];
  if (process.platform === "linux" && has("apt-get")) {
    ways.push({
      say: `apt-get install ${apt.join(" ")}`,
      run: () => system(["apt-get", "update", "-qq"]) && system(["apt-get", "install", "-y", "-qq", ...apt]),
    });
  }
  if (process.platform === "darwin" && has("brew")) {
    ways.push({ say: `brew install ${brew.join(" ")}`, run: () => system(["brew", "install", ...brew]) });
  }
  if (download) {
    ways.push({
      say: download.join(" "),
      run: () => spawnSync("npx", download, { stdio: ["ignore", "ignore", "inherit"] }).status === 0,
    });
  }
  return ways;
}

function ensure(name: string, find: () => string | undefined, ways: ReturnType<typeof installers>): boolean {
  if (find()) return true;
  for (const way of ways) {
    console.log(`test setup: ${name} not found; installing it (${way.say})…`);
    if (way.run() && find()) return true;
  }
  console.error(
    `test setup: could not install ${name}. Install it yourself${ways.length ? ` (${ways.map((w) => w.say).join(", or ")})` : ""}, ` +
      `or point ${name === "Chromium" ? "CHROMIUM_PATH" : "REDIS_SERVER"} at it.`,
  );
  return false;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const chromium = ensure(
    "Chromium",
    findChromium,
    installers(["chromium"], ["--cask", "chromium"], ["playwright-core", "install", "chromium"]),
  );
  const redis = ensure("redis-server", findRedisServer, installers(["redis-server"], ["redis"]));
  if (!chromium || !redis) process.exit(1);
}
