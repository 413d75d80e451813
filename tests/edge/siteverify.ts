/**
 * A stand-in for Cloudflare's Turnstile siteverify endpoint on loopback (the tests have no internet).
 * It answers exactly as Cloudflare documents for its test secrets, which is all the edge may rely on:
 *   1x0000000000000000000000000000000AA  always passes
 *   2x0000000000000000000000000000000AA  always fails (invalid-input-response)
 *   3x0000000000000000000000000000000AA  yields "token already spent" (timeout-or-duplicate)
 * and refuses requests that are not form posts with a secret and a response, like the real one.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const TURNSTILE_TEST_SECRETS = {
  pass: "1x0000000000000000000000000000000AA",
  fail: "2x0000000000000000000000000000000AA",
  spent: "3x0000000000000000000000000000000AA",
} as const;

export async function startSiteverify(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk));
    req.on("end", () => {
      const params = new URLSearchParams(body);
      const secret = params.get("secret");
      const token = params.get("response");
      const reply = (outcome: { success: boolean; "error-codes": string[] }) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ ...outcome, challenge_ts: new Date().toISOString(), hostname: "example.com" }),
        );
      };
      if (
        req.method !== "POST" ||
        !(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")
      ) {
        return reply({ success: false, "error-codes": ["bad-request"] });
      }
      if (!secret) return reply({ success: false, "error-codes": ["missing-input-secret"] });
      if (!token) return reply({ success: false, "error-codes": ["missing-input-response"] });
      if (secret === TURNSTILE_TEST_SECRETS.pass) return reply({ success: true, "error-codes": [] });
      if (secret === TURNSTILE_TEST_SECRETS.fail)
        return reply({ success: false, "error-codes": ["invalid-input-response"] });
      if (secret === TURNSTILE_TEST_SECRETS.spent)
        return reply({ success: false, "error-codes": ["timeout-or-duplicate"] });
      return reply({ success: false, "error-codes": ["invalid-input-secret"] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/turnstile/v0/siteverify`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
