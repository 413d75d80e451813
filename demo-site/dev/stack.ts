/**
 * The whole local stack in one call: the widget and console builds, `wrangler dev` (edge + local D1
 * with migrations applied + the queue consumer; it serves both builds from the Worker's static assets,
 * the console at /console/, as a deployed Worker does), the webhook receiver, the demo site, and a ticker that
 * fires the outbox sweep every minute. `npm start`, the e2e tests and the benchmarks all use it, so
 * what the tests exercise is what a newcomer runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { devSites } from "../../shared/sites/dev.ts";
import type { Bridge } from "./bridge.ts";
import { type Receiver, startReceiver } from "./receiver.ts";
import { type DemoServer, startDemoServer } from "./server.ts";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
// Run with this process's Node (22, from the node@22 dev dependency), never a shell's older one.
export const WRANGLER = join(REPO, "node_modules/wrangler/bin/wrangler.js");
const VITE = join(REPO, "node_modules/vite/bin/vite.js");
/** The Worker's static assets (wrangler.toml [assets]): the widget's files, console/ and the OpenAPI document. */
const ASSETS = join(REPO, "widget/dist");
const CONSOLE_INDEX = join(ASSETS, "console/index.html");

export interface StackOptions {
  /** 0 picks a free port. @default 0 */
  edgePort?: number;
  demoPort?: number;
  receiverPort?: number;
  /** Where wrangler keeps local D1/queue state. @default a new temporary directory */
  persistTo?: string;
  /** Rebuild the widget and the console on change (npm start). @default false: build once if missing */
  watch?: boolean;
  /** Print the children's output as it comes (npm start). @default false: keep it for errors */
  verbose?: boolean;
  /** Extra Worker variables, e.g. a compressed RETRY_SCHEDULE for tests. */
  vars?: Record<string, string>;
  /**
   * The lead store: "upstash" starts a redis-server and the Upstash REST bridge and hands the Worker
   * UPSTASH_REDIS_REST_URL/TOKEN. @default process.env.LEADCAP_STORE, else "d1"
   */
  store?: "d1" | "upstash";
}

export interface Stack {
  edgeUrl: string;
  /** With the Upstash store: the bridge (its counters) and the redis-server's port. */
  upstash?: { bridge: Bridge; redisPort: number };
  demoUrl: string;
  receiver: Receiver;
  adminToken: string;
  /** Output of the child processes so far (for test failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Reads KEY=VALUE lines (the .dev.vars format). */
export function readVars(path: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) vars[match[1]!] = match[2]!.replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** Local secrets: .dev.vars if the developer has one, else the committed example. */
export function localSecrets(): Record<string, string> {
  const own = join(REPO, ".dev.vars");
  return readVars(existsSync(own) ? own : join(REPO, ".dev.vars.example"));
}

function run(
  command: string,
  args: string[],
  log: (chunk: string) => void,
  env: NodeJS.ProcessEnv = {},
): ChildProcess {
  const child = spawn(process.execPath, [command, ...args], {
    cwd: REPO,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping it also stops what it started (wrangler → workerd).
    detached: true,
  });
  child.stdout?.on("data", (chunk: Buffer) => log(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => log(chunk.toString()));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  // A child killed by a signal has signalCode set and exitCode null: it has exited all the same.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const done = exited(child);
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000);
  await done;
  clearTimeout(timer);
}

async function waitFor(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  logs: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${logs()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${logs()}`);
}

/**
 * Reads `wrangler d1 migrations apply` as it runs and says one line per applied migration: the names
 * come from its "Migrations to be applied" table, each "N commands executed successfully" is the next.
 */
export function migrationSteps(say: (line: string) => void) {
  let output = "";
  let pending: string[] | undefined;
  let applied = 0;
  let seen = 0;
  return {
    read(chunk: string) {
      output += chunk;
      if (pending === undefined && output.includes("About to apply")) {
        const list = output.slice(0, output.indexOf("About to apply"));
        pending = [...list.matchAll(/(\d+_[\w.-]+\.sql)/g)].map((m) => m[1] as string);
      }
      const ran = [...output.matchAll(/(\d+) commands? executed successfully/g)];
      for (; seen < ran.length; seen++) {
        const name = pending?.[applied++] ?? `migration ${applied}`;
        say(`applied ${name} (${ran[seen]?.[1]} statements)`);
      }
    },
    output: () => output,
    done() {
      if (applied === 0) say("migrations: up to date");
    },
  };
}

export async function buildWidget(log: (chunk: string) => void = () => {}): Promise<void> {
  const child = run(VITE, ["build", "--config", "widget/vite.config.ts", "--logLevel", "warn"], log);
  const code = await exited(child);
  if (code !== 0) throw new Error(`widget build failed (${code})`);
}

/** The console into the Worker's static assets (widget/dist/console, edge/console/vite.config.ts). */
export async function buildConsole(log: (chunk: string) => void = () => {}): Promise<void> {
  const child = run(VITE, ["build", "--config", "edge/console/vite.config.ts", "--logLevel", "warn"], log);
  const code = await exited(child);
  if (code !== 0) throw new Error(`console build failed (${code})`);
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  let output = "";
  const log = (chunk: string) => {
    output += chunk;
    if (output.length > 200_000) output = output.slice(-100_000);
    if (options.verbose) process.stdout.write(chunk);
  };
  const children: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  let ticker: NodeJS.Timeout | undefined;

  const stop = async () => {
    if (ticker) clearInterval(ticker);
    await Promise.all(children.map(stopChild));
    await Promise.all(closers.map((close) => close()));
  };

  try {
    const [edgePort, demoPort, inspectorPort] = await Promise.all([
      options.edgePort || freePort(),
      options.demoPort || freePort(),
      freePort(),
    ]);
    const edgeUrl = `http://127.0.0.1:${edgePort}`;
    const demoOrigins = `http://127.0.0.1:${demoPort} http://localhost:${demoPort}`;
    const secrets = localSecrets();

    const receiver = await startReceiver({
      secret: secrets.DEMO_WEBHOOK_SECRET ?? "",
      port: options.receiverPort ?? 0,
      log: options.verbose ?? false,
    });
    closers.push(() => receiver.close());

    if (options.watch) {
      children.push(
        run(VITE, ["build", "--watch", "--config", "widget/vite.config.ts", "--logLevel", "warn"], log),
      );
      const deadline = Date.now() + 60_000;
      while (!existsSync(join(ASSETS, "leadcap.js")) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      // After the widget's first build, which empties the folder: the console, rebuilt on change.
      children.push(
        run(VITE, ["build", "--watch", "--config", "edge/console/vite.config.ts", "--logLevel", "warn"], log),
      );
    } else {
      if (!existsSync(join(ASSETS, "leadcap.js"))) await buildWidget(log);
      if (!existsSync(CONSOLE_INDEX)) await buildConsole(log);
    }
    // The OpenAPI document and the console live with the widget in the Worker's assets; a widget
    // rebuild in watch mode empties that folder, so put them back.
    const { OPENAPI_PATH, writeOpenApi } = await import("../../tests/tools/build-openapi.ts");
    if (!existsSync(OPENAPI_PATH)) writeOpenApi();
    if (options.watch) {
      let rebuilding: Promise<void> | undefined;
      const keep = setInterval(() => {
        if (!existsSync(OPENAPI_PATH)) writeOpenApi();
        if (!rebuilding && !existsSync(CONSOLE_INDEX) && existsSync(join(ASSETS, "leadcap.js")))
          rebuilding = buildConsole(log)
            .catch((error: unknown) => log(`[console] ${String(error)}\n`))
            .finally(() => {
              rebuilding = undefined;
            });
      }, 2000);
      keep.unref();
      closers.push(async () => clearInterval(keep));
    }

    const persistTo = options.persistTo ?? (await mkdtemp(join(tmpdir(), "leadcap-state-")));
    // wrangler prints the whole migrations table again after every step: keep its output for an
    // error and say one line per step instead.
    const steps = migrationSteps((line) => log(`[d1] ${line}\n`));
    const migrate = run(
      WRANGLER,
      ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo],
      steps.read,
      { CI: "true" },
    );
    if ((await exited(migrate)) !== 0) throw new Error(`D1 migrations failed:\n${steps.output()}`);
    steps.done();

    let upstash: Stack["upstash"];
    if ((options.store ?? process.env.LEADCAP_STORE) === "upstash") {
      // Loaded only when asked for: ioredis is CommonJS that must not be evaluated twice in one process
      // (vitest loads each project's global setup in its own module graph).
      const { startRedis } = await import("./redis.ts");
      const { startBridge } = await import("./bridge.ts");
      const redis = await startRedis();
      closers.push(() => redis.stop());
      const bridge = await startBridge({
        redisPort: redis.port,
        token: `local-${crypto.randomUUID()}`,
        control: true,
      });
      closers.unshift(() => bridge.close());
      upstash = { bridge, redisPort: redis.port };
      log(`[upstash] store: redis-server on 127.0.0.1:${redis.port}, REST bridge ${bridge.url}\n`);
    }

    const vars: Record<string, string> = {
      ...secrets,
      DEMO_ORIGINS: demoOrigins,
      // No browser origin calls the admin API: the console is served by the Worker, on its origin.
      ADMIN_ORIGINS: "",
      DEMO_WEBHOOK_URL: `${receiver.url}/webhooks/leadcap`,
      // A local run: webhooks go to the receiver on loopback (wrangler.toml says production).
      ENVIRONMENT: "development",
      ALLOW_PRIVATE_DESTINATIONS: "true",
      // The demo server forwards /lc/* with the prefix kept, as a Workers route on /lc/* would
      // (README, "Serve it first-party"; demo-site/dev/server.ts).
      PUBLIC_PATH: "/lc",
      // The demo site: given to the local stack like any deployment's sites, compiled into none.
      LEADCAP_SITES: devSites(...JSON.parse(process.env.LEADCAP_SITES || "[]")),
      ...(upstash
        ? { UPSTASH_REDIS_REST_URL: upstash.bridge.url, UPSTASH_REDIS_REST_TOKEN: upstash.bridge.token }
        : {}),
      ...options.vars,
    };
    const wrangler = run(
      WRANGLER,
      [
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(edgePort),
        "--inspector-port",
        String(inspectorPort),
        "--persist-to",
        persistTo,
        "--test-scheduled",
        "--show-interactive-dev-session=false",
        // The default build carries the D1 store only (wrangler.toml [define]).
        ...(upstash ? ["--define", "LEADCAP_UPSTASH:true"] : []),
        ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
      ],
      log,
    );
    children.push(wrangler);
    await waitFor(`${edgeUrl}/v1/health`, wrangler, 90_000, () => output);

    const demo: DemoServer = await startDemoServer({ edgeUrl, port: demoPort });
    closers.push(() => demo.close());

    // Cron triggers do not fire under `wrangler dev`: call the sweep the way the cron would.
    ticker = setInterval(() => {
      fetch(`${edgeUrl}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
    }, 60_000);
    ticker.unref();

    return {
      edgeUrl,
      demoUrl: demo.url,
      receiver,
      adminToken: vars.ADMIN_TOKEN ?? "",
      ...(upstash ? { upstash } : {}),
      logs: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
