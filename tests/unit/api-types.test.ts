/**
 * The admin API's shapes are zod schemas in shared/api, with types inferred from them. The edge's
 * ports still declare the same shapes as interfaces; each pair must be the same type (so mutually
 * assignable, and no optional field on one side only), so the ports can import the shared types
 * instead in one step. A field added or changed on one side only fails here.
 */
import { describe, expectTypeOf, it } from "vitest";
import type * as capturePort from "../../edge/src/stores/capture-port.ts";
import type * as configPort from "../../edge/src/stores/config-port.ts";
import type * as deliveryPort from "../../edge/src/stores/delivery-port.ts";
import type * as port from "../../edge/src/stores/port.ts";
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
    expectTypeOf<leads.LeadPage>().toEqualTypeOf<port.LeadPage>();
    expectTypeOf<leads.LeadFilter>().toEqualTypeOf<port.LeadFilter>();
    expectTypeOf<leads.LeadSort>().toEqualTypeOf<port.LeadSort>();
    expectTypeOf<leads.ListLeadsOptions>().toEqualTypeOf<port.ListLeadsOptions>();
    expectTypeOf<leads.LeadEventRecord>().toEqualTypeOf<port.LeadEventRecord>();
    expectTypeOf<leads.StageChange>().toEqualTypeOf<port.StageChange>();
    expectTypeOf<leads.Outcome>().toEqualTypeOf<port.Outcome>();
    expectTypeOf<leads.LeadUpdate>().toEqualTypeOf<port.LeadUpdate>();
    expectTypeOf<leads.OutcomeRow>().toEqualTypeOf<port.OutcomeRow>();
  });

  it("metrics", () => {
    expectTypeOf<metrics.SiteMetrics>().toEqualTypeOf<port.SiteMetrics>();
    expectTypeOf<metrics.EventCount>().toEqualTypeOf<port.EventCount>();
  });

  it("people: export and erasure", () => {
    expectTypeOf<people.PersonExport>().toEqualTypeOf<port.PersonExport>();
    expectTypeOf<people.ErasureReceipt>().toEqualTypeOf<port.ErasureReceipt>();
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
