/**
 * The Upstash REST protocol over a real redis-server on loopback, so the Upstash adapter runs locally
 * and in tests exactly as it would against Upstash:
 *
 *   POST /             ["SET", "k", "v"]                  → { "result": "OK" } | 400 { "error": "…" }
 *   POST /pipeline     [["INCR", "a"], ["GET", "b"]]     → [{ "result": 1 }, { "error": "…" }]
 *   POST /multi-exec   the same, inside MULTI/EXEC       → the same shape, all or nothing
 *
 * `Authorization: Bearer <token>` (401 otherwise); `Upstash-Encoding: base64` returns every string of a
 * result base64-encoded (what @upstash/redis asks for by default). It counts HTTP round trips and the
 * commands they carried, the two things Upstash bills and waits on, and can drop the reply to one
 * request after Redis has executed it, to test that a retried command is recognised as our own.
 *
 * Upstash runs scripts with the `allow-key-locking` shebang flag (@upstash/ratelimit's scripts carry
 * it) that Redis 7.0 refuses: the bridge drops that flag on the way in and answers EVALSHA of the
 * script as written, as Upstash does.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import { redisClient } from "./redis.ts";

export type Command = string[];

export interface BridgeStats {
  /** HTTP requests answered (or dropped) with a valid token: store round trips. */
  requests: number;
  /** Commands those requests carried (a script is one command, however many calls it makes). */
  commands: number;
  /** Commands by upper-case name. */
  byName: Record<string, number>;
  /** Replies dropped on purpose (dropReplyOnce). */
  dropped: number;
}

export interface Bridge {
  url: string;
  token: string;
  stats(): BridgeStats;
  resetStats(): void;
  /**
   * Drops the reply (closes the connection unanswered) to the first request carrying a command that
   * matches, after Redis executed it. Resolves with that command once it happened.
   */
  dropReplyOnce(match: CommandMatch): Promise<Command>;
  close(): Promise<void>;
}

/** Which command to drop the reply of: its name, and an argument it carries (both case-insensitive). */
export interface CommandMatch {
  name: string;
  arg?: string | undefined;
}

/** A `SET … NX`: a dedupe claim sent as a command of its own. */
export const SET_NX: CommandMatch = { name: "SET", arg: "NX" };

export function matches(match: CommandMatch, command: Command): boolean {
  const arg = match.arg?.toUpperCase();
  return (
    command[0]?.toUpperCase() === match.name.toUpperCase() &&
    (arg === undefined || command.slice(1).some((a) => a.toUpperCase() === arg))
  );
}

type Reply = { result: unknown } | { error: string };

function encode(value: unknown, base64: boolean): unknown {
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  if (typeof value === "string") return base64 ? Buffer.from(value).toString("base64") : value;
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  if (value instanceof Error) return { error: value.message };
  return value ?? null;
}

function toReply(settled: PromiseSettledResult<unknown>, base64: boolean): Reply {
  return settled.status === "fulfilled"
    ? { result: encode(settled.value, base64) }
    : { error: settled.reason instanceof Error ? settled.reason.message : String(settled.reason) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

function isCommand(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((a) => typeof a !== "object" || a === null);
}

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ (y[i % y.length] ?? 0);
  return diff === 0;
}

export interface BridgeOptions {
  redisPort: number;
  token: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Serve /_bridge/stats, /_bridge/reset and /_bridge/drop (token required) for tests. @default false */
  control?: boolean;
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const redis: Redis = redisClient(options.redisPort);
  let stats: BridgeStats = { requests: 0, commands: 0, byName: {}, dropped: 0 };
  let drop: { match: CommandMatch; done: (c: Command) => void } | null = null;

  // SHA1 of a script as the client wrote it → SHA1 of the script Redis was given.
  const scripts = new Map<string, string>();
  const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");
  function adapt(name: string, args: Command): Command {
    if (name === "EVALSHA" && typeof args[0] === "string") {
      const sha = scripts.get(args[0].toLowerCase());
      return sha ? [sha, ...args.slice(1)] : args;
    }
    const script = args[name === "SCRIPT" ? 1 : 0];
    if (
      (name === "EVAL" || (name === "SCRIPT" && String(args[0]).toUpperCase() === "LOAD")) &&
      typeof script === "string"
    ) {
      const shebang = /^#!lua([^\n]*)/.exec(script);
      if (!shebang?.[1]?.includes("allow-key-locking")) return args;
      const flags =
        /flags=(\S*)/
          .exec(shebang[1])?.[1]
          ?.split(",")
          .filter((f) => f && f !== "allow-key-locking") ?? [];
      const adapted = `#!lua${flags.length ? ` flags=${flags.join(",")}` : ""}${script.slice(shebang[0].length)}`;
      scripts.set(sha1(script), sha1(adapted));
      return name === "SCRIPT" ? [args[0]!, adapted, ...args.slice(2)] : [adapted, ...args.slice(1)];
    }
    return args;
  }
  const send = (command: Command) => {
    const name = command[0]!.toUpperCase();
    return redis.callBuffer(name, ...adapt(name, command.slice(1)));
  };

  async function execute(path: string, commands: Command[]): Promise<PromiseSettledResult<unknown>[]> {
    if (path === "/multi-exec") {
      // Written in one tick on the one connection: nothing else interleaves between MULTI and EXEC.
      const queued = [redis.callBuffer("MULTI"), ...commands.map(send), redis.callBuffer("EXEC")];
      const settled = await Promise.allSettled(queued);
      const exec = settled.at(-1)!;
      if (exec.status === "rejected") {
        // EXECABORT: a command was refused when queued; report each command's own error.
        return commands.map((_, i) => {
          const own = settled[i + 1]!;
          return own.status === "rejected" ? own : { status: "rejected", reason: exec.reason };
        });
      }
      return (exec.value as unknown[]).map((value) =>
        value instanceof Error ? { status: "rejected", reason: value } : { status: "fulfilled", value },
      );
    }
    // A pipeline: sent in order on one connection, so Redis runs them in order (not atomically).
    return Promise.allSettled(commands.map(send));
  }

  // For tests running elsewhere (inside workerd) and benchmarks: counters and the dropped reply.
  async function control(path: string, req: IncomingMessage, reply: (status: number, body: unknown) => void) {
    if (path === "/_bridge/stats") return reply(200, bridge.stats());
    if (path === "/_bridge/reset") {
      bridge.resetStats();
      return reply(200, { ok: true });
    }
    if (path === "/_bridge/drop") {
      const match = JSON.parse(await readBody(req)) as CommandMatch;
      void bridge.dropReplyOnce(match);
      return reply(200, { ok: true });
    }
    return reply(404, { error: "unknown control path" });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith("Bearer ") || !constantTimeEqual(auth.slice(7), options.token)) {
      return reply(401, { error: "Unauthorized" });
    }
    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
    if (options.control && path.startsWith("/_bridge/")) return control(path, req, reply);
    if (req.method !== "POST" || !["/", "/pipeline", "/multi-exec"].includes(path)) {
      return reply(404, { error: "Not found: POST /, /pipeline or /multi-exec" });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readBody(req));
    } catch {
      return reply(400, { error: "ERR the body is not JSON" });
    }
    const single = path === "/";
    const raw = single ? [parsed] : parsed;
    if (!Array.isArray(raw) || raw.length === 0 || !raw.every(isCommand)) {
      return reply(400, { error: "ERR expected a command array (or an array of them)" });
    }
    const commands: Command[] = raw.map((c) => c.map((a) => String(a)));
    stats.requests++;
    stats.commands += commands.length;
    for (const c of commands) {
      const name = c[0]!.toUpperCase();
      stats.byName[name] = (stats.byName[name] ?? 0) + 1;
    }
    const settled = await execute(path, commands);
    const dropped = drop && commands.find((c) => drop && matches(drop.match, c));
    if (drop && dropped) {
      drop.done(dropped);
      drop = null;
      stats.dropped++;
      // Redis has done the work; the client never hears of it and retries.
      req.socket.destroy();
      return;
    }
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const replies = settled.map((s) => toReply(s, base64));
    if (single) return reply("error" in replies[0]! ? 400 : 200, replies[0]);
    return reply(200, replies);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(error) }));
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const bridge: Bridge = {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    stats: () => ({ ...stats, byName: { ...stats.byName } }),
    resetStats() {
      stats = { requests: 0, commands: 0, byName: {}, dropped: 0 };
    },
    dropReplyOnce(match) {
      return new Promise<Command>((resolve) => {
        drop = { match, done: resolve };
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.disconnect();
    },
  };
  return bridge;
}
