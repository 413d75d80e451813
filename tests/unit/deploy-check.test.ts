import { describe, expect, it } from "vitest";
import { refusal } from "../tools/deploy-check.ts";

describe("npm run deploy's check", () => {
  it("refuses the D1-only build for a Worker whose secrets point at Upstash", () => {
    const list = JSON.stringify([
      { name: "ADMIN_TOKEN", type: "secret_text" },
      { name: "UPSTASH_REDIS_REST_URL", type: "secret_text" },
      { name: "UPSTASH_REDIS_REST_TOKEN", type: "secret_text" },
    ]);
    expect(refusal(list)).toMatch(/npm run deploy:upstash/);
  });

  it("lets a D1 Worker, or one not deployed yet, through", () => {
    expect(refusal(JSON.stringify([{ name: "ADMIN_TOKEN", type: "secret_text" }]))).toBeNull();
    expect(refusal("")).toBeNull();
  });
});
