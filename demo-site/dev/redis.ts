/**
 * A throwaway redis-server on loopback for tests, benchmarks and `LEADCAP_STORE=upstash npm start`:
 * no persistence (`--save "" --appendonly no`), a free port, stopped with the process that started it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
// The default export: ioredis is CommonJS whose module.exports is the class (named imports break
// under Vite's SSR interop, which runs the Workers projects' global setups).
import IORedis, { type Redis } from "ioredis";
import { findRedisServer } from "../../tests/tools/machine.ts";

/** The machine's redis-server (`npm test` installs it when missing); override with REDIS_SERVER. */
export const REDIS_SERVER = findRedisServer() ?? "/usr/bin/redis-server";

export interface RedisServer {
  port: number;
  /** A RESP2 client for the test or the bridge (upper-case command names keep replies unshaped). */
  client(): Redis;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function redisClient(port: number): Redis {
  // RESP2: RESP3 would turn map replies into other shapes than the Upstash REST API returns.
  return new IORedis({ host: "127.0.0.1", port, protocol: 2, lazyConnect: false, maxRetriesPerRequest: 1 });
}

export async function startRedis(
  options: { port?: number; log?: (chunk: string) => void } = {},
): Promise<RedisServer> {
  const port = options.port || (await freePort());
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "yes",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    options.log?.(chunk.toString());
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));

  const ready = (async () => {
    const deadline = Date.now() + 10_000;
    while (!output.includes("Ready to accept connections")) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not start within 10 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }

  const clients: Redis[] = [];
  return {
    port,
    client() {
      const client = redisClient(port);
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients) client.disconnect();
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Calls per command inside redis-server (INFO commandstats), Lua's inner calls included: what a
 * script costs the server, beside what the REST API bills (the commands sent, counted by the bridge).
 */
export async function commandStats(client: Redis): Promise<Record<string, number>> {
  const info = String(await client.call("INFO", "commandstats"));
  const stats: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats[match[1]!] = Number(match[2]);
  return stats;
}
