/** The D1 adapter, the embedded default: one class per port, made one lead store for the routes. */
import { compose } from "../compose.ts";
import type { LeadStore } from "../ports/index.ts";
import { D1Ingest } from "./ingest.ts";
import { D1Leads } from "./leads.ts";
import { D1Lifecycle } from "./lifecycle.ts";
import { D1Metrics } from "./metrics.ts";
import { D1Privacy } from "./privacy.ts";
import { D1RateWindows } from "./ratelimit.ts";

export function d1LeadStore(db: D1Database): LeadStore {
  return compose(
    new D1Ingest(db),
    new D1Leads(db),
    new D1Lifecycle(db),
    new D1Metrics(db),
    new D1Privacy(db),
    new D1RateWindows(db),
  );
}
