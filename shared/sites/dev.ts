/**
 * The sites of the local stack (`npm start`), the tests and the benchmarks, as the LEADCAP_SITES
 * variable carries them. No Worker build compiles a site in: a production deployment starts with the
 * sites its owner creates, never with the demo.
 */
import { demoSite } from "./demo.ts";

/** LEADCAP_SITES holding the demo site, and any `more`. */
export function devSites(...more: unknown[]): string {
  return JSON.stringify([demoSite, ...more]);
}
