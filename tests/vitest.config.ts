/**
 * One `vitest run` runs every project:
 * - unit:   Node; shared schemas, scoring, contract between widget payload and edge schema.
 * - widget: happy-dom + @testing-library/preact; the form UI and the loader's pure parts.
 * - edge:   inside workerd (@cloudflare/vitest-plugin) with real D1 and Queue bindings; a real HTTP
 *           receiver on loopback (started in globalSetup) gets the webhook deliveries.
 * - contract: inside workerd; one LeadStore behaviour suite against D1 and Upstash (bridge + redis).
 * - e2e:    playwright-core driving Debian's Chromium against the running stack.
 */
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { devSites } from "../shared/sites/dev.ts";
import { strictSite } from "./edge/strict-site.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Preact's automatic JSX runtime, through oxc (Vite 8 transforms TS/JSX with oxc, not esbuild). */
const preactJsx = { jsx: { runtime: "automatic" as const, importSource: "preact" } };

export default defineConfig({
  root,
  test: {
    projects: [
      {
        root,
        test: { name: "unit", environment: "node", include: ["tests/unit/**/*.test.ts"] },
      },
      {
        root,
        oxc: preactJsx,
        test: {
          name: "widget",
          environment: "happy-dom",
          include: ["tests/widget/**/*.test.{ts,tsx}"],
        },
      },
      {
        root,
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            main: at("edge/src/index.ts"),
            wrangler: { configPath: at("wrangler.toml") },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: "test-admin-token",
                // A token for the strict site only, and one too short to be accepted.
                ADMIN_TOKENS: JSON.stringify({ "strict-only-token-0123456789": ["strict"], short: "*" }),
                LEADCAP_SECRET: "test-leadcap-secret",
                DEMO_ORIGINS: "https://www.example.com http://127.0.0.1:5173",
                ADMIN_ORIGINS: "https://console.example.com",
                DEMO_WEBHOOK_URL: `${inject<string>("receiverUrl")}/webhooks/leadcap`,
                DEMO_WEBHOOK_SECRET: inject<string>("receiverSecret"),
                TURNSTILE_VERIFY_URL: inject<string>("siteverifyUrl"),
                // Cloudflare Access, with the team's keys served on loopback (tests/edge/access-certs.ts).
                ACCESS_TEAM_DOMAIN: "leadcap-test.cloudflareaccess.com",
                ACCESS_AUD: "leadcap-test-aud",
                ACCESS_CERTS_URL: inject<string>("accessCertsUrl"),
                ACCESS_TEST_PRIVATE_JWK: inject<string>("accessPrivateJwk"),
                // The receivers are on loopback: allowed outside production only.
                ENVIRONMENT: "test",
                ALLOW_PRIVATE_DESTINATIONS: "true",
                LEADCAP_SITES: devSites(strictSite),
                // Served first-party under /lc/ too (tests/edge/chunks.test.ts); unprefixed paths as before.
                PUBLIC_PATH: "/lc",
                TEST_MIGRATIONS: await readD1Migrations(at("edge/migrations")),
              },
            },
          })),
        ],
        test: {
          name: "edge",
          include: ["tests/edge/**/*.test.ts"],
          globalSetup: ["tests/edge/global-setup.ts", "tests/edge/openapi-global-setup.ts"],
          // Every answer the tests get is checked against the served OpenAPI document.
          setupFiles: ["tests/edge/apply-migrations.ts", "tests/edge/openapi-setup.ts"],
        },
      },
      {
        // One LeadStore behaviour suite, run against every adapter inside workerd: D1 (local, with
        // the migrations) and Upstash (through the REST bridge to a redis-server the setup starts).
        root,
        // The Upstash store built in, as `npm run deploy:upstash` does (wrangler.toml leaves it out).
        define: { LEADCAP_UPSTASH: "true" },
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            main: at("edge/src/index.ts"),
            wrangler: { configPath: at("wrangler.toml") },
            miniflare: {
              bindings: {
                CONTRACT_UPSTASH_URL: inject<string>("upstashUrl"),
                CONTRACT_UPSTASH_TOKEN: inject<string>("upstashToken"),
                // The Worker on Upstash (worker.test.ts) takes the demo site's leads.
                LEADCAP_SITES: devSites(),
                TEST_MIGRATIONS: await readD1Migrations(at("edge/migrations")),
              },
            },
          })),
        ],
        test: {
          name: "contract",
          include: ["tests/contract/**/*.test.ts"],
          globalSetup: ["tests/contract/global-setup.ts"],
          setupFiles: ["tests/edge/apply-migrations.ts"],
          testTimeout: 30_000,
        },
      },
      {
        root,
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One browser and one stack for the whole project: files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
