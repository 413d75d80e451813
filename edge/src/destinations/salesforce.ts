/**
 * Salesforce. `web-to-lead` (default, no credentials): a form post of the documented Web-to-Lead
 * fields to `https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8` with the org id
 * (`oid`); custom fields by their field ids (`00N…`). Salesforce answers 200 whatever happens, so
 * this is best effort by design. `rest`: the Lead sObject through the REST API —
 * `POST /services/data/vXX.X/sobjects/Lead/`, or, with `externalIdField`, an upsert on the lead id
 * (`PATCH /services/data/vXX.X/sobjects/Lead/{field}/{id}`), so retries and updates never duplicate.
 *
 * Default mappings below; LastName and Company are required by Salesforce, so they fall back to
 * the email and "[not provided]" (as Web-to-Lead itself does).
 */
import type { Destination, Mapping } from "../../../shared/destinations.ts";
import { failure, request, USER_AGENT } from "./http.ts";
import { applyMapping } from "./mapping.ts";
import type { DestinationAdapter } from "./types.ts";

type SalesforceDestination = Extract<Destination, { type: "salesforce" }>;

export const SALESFORCE_WEB_TO_LEAD_MAPPING: Mapping = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  company: "fields.company",
  phone: "fields.phone",
  title: "fields.job_title",
  lead_source: "=Web",
  description: "reasons",
};

export const SALESFORCE_REST_MAPPING: Mapping = {
  FirstName: "firstName",
  LastName: "lastName",
  Email: "email",
  Company: "fields.company",
  Phone: "fields.phone",
  Title: "fields.job_title",
  LeadSource: "=Web",
  Description: "reasons",
  Rating: "temperature",
};

const NOT_PROVIDED = "[not provided]";

export const salesforce: DestinationAdapter<SalesforceDestination> = {
  async send(destination, event, context) {
    const lead = event.lead;
    const timeoutMs = destination.timeoutMs;
    if (destination.api === "rest") {
      if (!destination.instanceUrl || !destination.token)
        return failure("salesforce rest: instanceUrl and token are required");
      const fields: Record<string, string> = applyMapping(lead, SALESFORCE_REST_MAPPING, destination.mapping);
      fields.LastName ||= lead.email;
      fields.Company ||= NOT_PROVIDED;
      // Salesforce's Rating picklist is Hot / Warm / Cold.
      if (fields.Rating) fields.Rating = fields.Rating.charAt(0).toUpperCase() + fields.Rating.slice(1);
      const version = destination.apiVersion ?? "v60.0";
      const base = `${destination.instanceUrl.replace(/\/$/, "")}/services/data/${version}/sobjects/Lead`;
      const upsert = destination.externalIdField;
      const { result } = await request(
        upsert ? `${base}/${encodeURIComponent(upsert)}/${encodeURIComponent(lead.id)}` : `${base}/`,
        {
          method: upsert ? "PATCH" : "POST",
          headers: {
            authorization: `Bearer ${destination.token}`,
            "content-type": "application/json",
            accept: "application/json",
            "user-agent": USER_AGENT,
          },
          body: JSON.stringify(fields),
          timeoutMs,
        },
        context,
      );
      return result;
    }
    if (!destination.oid) return failure("salesforce web-to-lead: oid (the organization id) is required");
    const fields = applyMapping(lead, SALESFORCE_WEB_TO_LEAD_MAPPING, destination.mapping);
    const form = new URLSearchParams({ oid: destination.oid, ...fields });
    const base = destination.baseUrl ?? "https://webto.salesforce.com";
    const { result } = await request(
      `${base.replace(/\/$/, "")}/servlet/servlet.WebToLead?encoding=UTF-8`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": USER_AGENT },
        body: form.toString(),
        timeoutMs,
      },
      context,
    );
    return result;
  },
};
