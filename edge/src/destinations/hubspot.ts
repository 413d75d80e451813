/**
 * HubSpot. `contacts` (default): the CRM contacts API v3 — create the contact
 * (`POST /crm/v3/objects/contacts`), and when HubSpot answers 409 (it exists), update it by email
 * (`PATCH /crm/v3/objects/contacts/{email}?idProperty=email`); a private app token as Bearer.
 * `forms`: the Forms submission API v3 (`POST /submissions/v3/integration/submit/{portalId}/{formGuid}`,
 * fields as `{ objectTypeId: "0-1", name, value }`, with the page as context).
 *
 * Default mapping (HubSpot property ← lead): the standard contact properties, and the score and
 * attribution in `leadcap_*` properties — create them in HubSpot (Settings → Properties, group
 * "Leadcap", single-line text) or change the mapping.
 */
import type { Destination, Mapping } from "../../../shared/destinations.ts";
import { failure, request, USER_AGENT } from "./http.ts";
import { applyMapping } from "./mapping.ts";
import type { DestinationAdapter } from "./types.ts";

type HubspotDestination = Extract<Destination, { type: "hubspot" }>;

export const HUBSPOT_DEFAULT_MAPPING: Mapping = {
  email: "email",
  firstname: "firstName",
  lastname: "lastName",
  company: "fields.company",
  phone: "fields.phone",
  jobtitle: "fields.job_title",
  leadcap_lead_id: "id",
  leadcap_score: "score",
  leadcap_temperature: "temperature",
  leadcap_stage: "stage",
  leadcap_reasons: "reasons",
  leadcap_channel: "lastTouch.channel",
  leadcap_utm_source: "lastTouch.utm_source",
  leadcap_utm_medium: "lastTouch.utm_medium",
  leadcap_utm_campaign: "lastTouch.utm_campaign",
  leadcap_first_utm_source: "firstTouch.utm_source",
  leadcap_first_utm_campaign: "firstTouch.utm_campaign",
  leadcap_landing_page: "firstTouch.landingPage",
};

export const hubspot: DestinationAdapter<HubspotDestination> = {
  async send(destination, event, context) {
    const properties = applyMapping(event.lead, HUBSPOT_DEFAULT_MAPPING, destination.mapping);
    const auth: Record<string, string> = destination.token
      ? { authorization: `Bearer ${destination.token}` }
      : {};
    const headers = { "content-type": "application/json", "user-agent": USER_AGENT, ...auth };
    const timeoutMs = destination.timeoutMs;

    if (destination.api === "forms") {
      if (!destination.portalId || !destination.formGuid)
        return failure("hubspot forms: portalId and formGuid are required");
      const base = destination.baseUrl ?? "https://api.hsforms.com";
      const path = `/submissions/v3/integration/${destination.token ? "secure/submit" : "submit"}`;
      const { result } = await request(
        `${base}${path}/${encodeURIComponent(destination.portalId)}/${encodeURIComponent(destination.formGuid)}`,
        {
          method: "POST",
          headers,
          body: JSON.stringify({
            submittedAt: String(Date.parse(event.lead.createdAt)),
            fields: Object.entries(properties).map(([name, value]) => ({ objectTypeId: "0-1", name, value })),
            context: {
              pageUri: event.lead.page.url,
              ...(event.lead.page.title ? { pageName: event.lead.page.title } : {}),
            },
          }),
          timeoutMs,
        },
        context,
      );
      return result;
    }

    if (!destination.token) return failure("hubspot contacts: a private app token is required");
    const base = destination.baseUrl ?? "https://api.hubapi.com";
    const created = await request(
      `${base}/crm/v3/objects/contacts`,
      { method: "POST", headers, body: JSON.stringify({ properties }), timeoutMs },
      context,
    );
    if (created.result.status !== 409) return created.result;
    // The contact exists: update it, found by its email.
    const updated = await request(
      `${base}/crm/v3/objects/contacts/${encodeURIComponent(event.lead.email)}?idProperty=email`,
      { method: "PATCH", headers, body: JSON.stringify({ properties }), timeoutMs },
      context,
    );
    return updated.result;
  },
};
