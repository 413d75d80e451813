/** Applies the D1 migrations (edge/migrations) to the test database before the edge tests run. */
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
