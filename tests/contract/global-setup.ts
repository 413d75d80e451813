/**
 * Runs in Node before the contract tests: a redis-server on a free loopback port and the Upstash REST
 * bridge in front of it (with its test controls), handed to the Worker runtime as bindings.
 */
import type { TestProject } from "vitest/node";
import { startBridge } from "../../demo-site/dev/bridge.ts";
import { startRedis } from "../../demo-site/dev/redis.ts";

export default async function setup(project: TestProject) {
  const redis = await startRedis();
  const token = `contract-${crypto.randomUUID()}`;
  // A setup that fails half way must not leave a redis-server behind.
  const bridge = await startBridge({ redisPort: redis.port, token, control: true }).catch(
    async (error: unknown) => {
      await redis.stop();
      throw error;
    },
  );
  project.provide("upstashUrl", bridge.url);
  project.provide("upstashToken", token);
  return async () => {
    await bridge.close();
    await redis.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    upstashUrl: string;
    upstashToken: string;
  }
}
