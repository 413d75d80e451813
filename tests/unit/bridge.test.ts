/**
 * The local Upstash REST bridge (demo-site/dev/bridge.ts) against a real redis-server: the protocol
 * @upstash/redis speaks, the token check, base64 responses, the counters, and the dropped reply.
 */
import { Redis as Upstash } from "@upstash/redis/cloudflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Bridge, SET_NX, startBridge } from "../../demo-site/dev/bridge.ts";
import { commandStats, type RedisServer, startRedis } from "../../demo-site/dev/redis.ts";

let server: RedisServer;
let bridge: Bridge;
const token = "bridge-test-token";

beforeAll(async () => {
  server = await startRedis();
  bridge = await startBridge({ redisPort: server.port, token, control: true });
}, 20_000);

afterAll(async () => {
  await bridge?.close();
  await server?.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${bridge.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });

describe("bridge", () => {
  it("runs one command at /, with plain or base64 strings", async () => {
    expect(await (await post("/", ["SET", "b:k", "héllo"])).json()).toEqual({ result: "OK" });
    expect(await (await post("/", ["GET", "b:k"])).json()).toEqual({ result: "héllo" });
    expect(await (await post("/", ["GET", "b:k"], { "upstash-encoding": "base64" })).json()).toEqual({
      result: Buffer.from("héllo").toString("base64"),
    });
    expect(await (await post("/", ["INCRBY", "b:n", 5])).json()).toEqual({ result: 5 });
    expect(await (await post("/", ["GET", "b:missing"])).json()).toEqual({ result: null });
  });

  it("answers 400 with the error of a failed command, 401 to a bad token, 404 elsewhere", async () => {
    const bad = await post("/", ["NOSUCHCOMMAND"]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/unknown command/i);
    const denied = await fetch(`${bridge.url}/`, {
      method: "POST",
      headers: { authorization: "Bearer nope" },
      body: '["PING"]',
    });
    expect(denied.status).toBe(401);
    expect((await fetch(`${bridge.url}/`, { method: "POST", body: '["PING"]' })).status).toBe(401);
    expect((await post("/other", ["PING"])).status).toBe(404);
    expect((await fetch(`${bridge.url}/_bridge/stats`, { method: "POST" })).status).toBe(401);
  });

  it("runs a pipeline in order, each command with its own result or error", async () => {
    const res = await post("/pipeline", [
      ["DEL", "b:p"],
      ["RPUSH", "b:p", "a", "b"],
      ["LRANGE", "b:p", 0, -1],
      ["HGET", "b:p", "x"],
    ]);
    const body = (await res.json()) as { result?: unknown; error?: string }[];
    expect(body.slice(0, 3)).toEqual([{ result: expect.any(Number) }, { result: 2 }, { result: ["a", "b"] }]);
    expect(body[3]!.error).toMatch(/WRONGTYPE/);
  });

  it("runs /multi-exec as one transaction", async () => {
    const res = await post("/multi-exec", [
      ["SET", "b:m", "1"],
      ["INCR", "b:m"],
      ["GET", "b:m"],
    ]);
    expect(await res.json()).toEqual([{ result: "OK" }, { result: 2 }, { result: "2" }]);
  });

  it("serves @upstash/redis (auto-pipelining, base64, scripts) and counts round trips and commands", async () => {
    const redis = new Upstash({ url: bridge.url, token, enableTelemetry: false });
    bridge.resetStats();
    const [a, b] = await Promise.all([redis.set("b:u", "v"), redis.incr("b:c")]);
    expect([a, b]).toEqual(["OK", 1]);
    expect(await redis.eval("return {KEYS[1], ARGV[1], 7}", ["k"], ["é"])).toEqual(["k", "é", 7]);
    const stats = bridge.stats();
    expect(stats.requests).toBe(2);
    expect(stats.commands).toBe(3);
    expect(stats.byName).toEqual({ SET: 1, INCR: 1, EVAL: 1 });
    expect(stats.dropped).toBe(0);
    expect((await commandStats(server.client())).eval).toBeGreaterThanOrEqual(1);
    expect(await (await post("/_bridge/stats", null)).json()).toEqual(stats);
  });

  it("drops the reply to the first SET NX after Redis ran it; the client's retry finds its own write", async () => {
    const redis = new Upstash({
      url: bridge.url,
      token,
      enableTelemetry: false,
      retry: { retries: 3, backoff: () => 10 },
    });
    const dropped = bridge.dropReplyOnce(SET_NX);
    // The retry of SET NX fails (the key exists) though the first attempt succeeded: the lost reply.
    expect(await redis.set("b:nx", "sub_1", { nx: true, get: true })).toBe("sub_1");
    expect((await dropped).map((a) => a.toUpperCase())).toEqual(["SET", "B:NX", "SUB_1", "NX", "GET"]);
    expect(await redis.get("b:nx")).toBe("sub_1");
  });
});
