/**
 * The admin API's shapes are declared once, as zod schemas in shared/api; the edge's ports import
 * their types from there, so no pair of declarations is left to compare. One pair remains: the
 * widget's public settings, declared as interfaces in shared/config.ts (what the widget imports) and
 * as schemas in shared/api/sites.ts (what the OpenAPI document and the conformance check use). They
 * must be the same type (mutually assignable, no optional field on one side only), so a field added
 * or changed on one side only fails here.
 */
import { describe, expectTypeOf, it } from "vitest";
import type * as sites from "../../shared/api/sites.ts";
import type * as sharedConfig from "../../shared/config.ts";

describe("the widget's public settings: shared/config.ts and shared/api/sites.ts", () => {
  it("GET /v1/sites/{site}", () => {
    expectTypeOf<sites.PublicSiteConfig>().toEqualTypeOf<sharedConfig.PublicSiteConfig>();
  });

  it("GET /v1/sites/{site}/forms/{form}", () => {
    expectTypeOf<sites.PublicFormConfig>().toEqualTypeOf<sharedConfig.PublicFormConfig>();
  });
});
