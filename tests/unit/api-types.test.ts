/**
 * The admin API's shapes are zod schemas in shared/api, with types inferred from them. The edge's
 * ports still declare the same shapes as interfaces; each pair must be the same type (so mutually
 * assignable, and no optional field on one side only), so the ports can import the shared types
 * instead in one step. A field added or changed on one side only fails here.
 */
import { describe, expectTypeOf, it } from "vitest";
import type * as capturePort from "../../edge/src/stores/ports/capture.ts";
import type * as configPort from "../../edge/src/stores/ports/config.ts";
import type * as deliveryPort from "../../edge/src/stores/ports/delivery.ts";
import type * as leadsPort from "../../edge/src/stores/ports/leads.ts";
import type * as lifecyclePort from "../../edge/src/stores/ports/lifecycle.ts";
import type * as metricsPort from "../../edge/src/stores/ports/metrics.ts";
import type * as privacyPort from "../../edge/src/stores/ports/privacy.ts";
import type * as capture from "../../shared/api/capture.ts";
import type * as config from "../../shared/api/config.ts";
import type * as deliveries from "../../shared/api/deliveries.ts";
import type * as leads from "../../shared/api/leads.ts";
import type * as metrics from "../../shared/api/metrics.ts";
import type * as people from "../../shared/api/people.ts";
import type * as sites from "../../shared/api/sites.ts";
import type * as sharedConfig from "../../shared/config.ts";

describe("shared API types and the edge ports' interfaces", () => {
  it("leads: list, filter, events, stages, outcomes, updates", () => {
    expectTypeOf<leads.LeadPage>().toEqualTypeOf<leadsPort.LeadPage>();
    expectTypeOf<leads.LeadFilter>().toEqualTypeOf<leadsPort.LeadFilter>();
    expectTypeOf<leads.LeadSort>().toEqualTypeOf<leadsPort.LeadSort>();
    expectTypeOf<leads.ListLeadsOptions>().toEqualTypeOf<leadsPort.ListLeadsOptions>();
    expectTypeOf<leads.LeadEventRecord>().toEqualTypeOf<lifecyclePort.LeadEventRecord>();
    expectTypeOf<leads.StageChange>().toEqualTypeOf<lifecyclePort.StageChange>();
    expectTypeOf<leads.Outcome>().toEqualTypeOf<lifecyclePort.Outcome>();
    expectTypeOf<leads.LeadUpdate>().toEqualTypeOf<lifecyclePort.LeadUpdate>();
    expectTypeOf<leads.OutcomeRow>().toEqualTypeOf<lifecyclePort.OutcomeRow>();
  });

  it("metrics", () => {
    expectTypeOf<metrics.SiteMetrics>().toEqualTypeOf<metricsPort.SiteMetrics>();
    expectTypeOf<metrics.EventCount>().toEqualTypeOf<metricsPort.EventCount>();
  });

  it("people: export and erasure", () => {
    expectTypeOf<people.PersonExport>().toEqualTypeOf<privacyPort.PersonExport>();
    expectTypeOf<people.ErasureReceipt>().toEqualTypeOf<privacyPort.ErasureReceipt>();
  });

  it("deliveries: rows, attempts, pages, destination state", () => {
    expectTypeOf<deliveries.Delivery>().toEqualTypeOf<deliveryPort.Delivery>();
    expectTypeOf<deliveries.DeliveryStatus>().toEqualTypeOf<deliveryPort.DeliveryStatus>();
    expectTypeOf<deliveries.Attempt>().toEqualTypeOf<deliveryPort.Attempt>();
    expectTypeOf<deliveries.DeliveryPage>().toEqualTypeOf<deliveryPort.DeliveryPage>();
    expectTypeOf<deliveries.DestinationState>().toEqualTypeOf<deliveryPort.DestinationState>();
  });

  it("config versions", () => {
    expectTypeOf<config.ConfigVersion>().toEqualTypeOf<configPort.ConfigVersion>();
    expectTypeOf<config.ConfigVersionSummary>().toEqualTypeOf<configPort.ConfigVersionSummary>();
  });

  it("capture counters", () => {
    expectTypeOf<capture.CaptureEntry>().toEqualTypeOf<capturePort.CaptureEntry>();
    expectTypeOf<capture.CaptureRow>().toEqualTypeOf<capturePort.CaptureRow>();
  });

  it("the widget's public settings", () => {
    expectTypeOf<sites.PublicSiteConfig>().toEqualTypeOf<sharedConfig.PublicSiteConfig>();
    expectTypeOf<sites.PublicFormConfig>().toEqualTypeOf<sharedConfig.PublicFormConfig>();
  });
});
