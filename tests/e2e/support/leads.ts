/** The demo site's stored leads of one email, through the admin API of the running stack. */
import { inject } from "vitest";
import type { Lead } from "../../../shared/lead.ts";

export async function leadsByEmail(email: string): Promise<Lead[]> {
  const stack = inject("stack");
  const res = await fetch(`${stack.edgeUrl}/v1/admin/leads?site=demo&limit=100`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  return ((await res.json()) as { leads: Lead[] }).leads.filter((lead) => lead.email === email);
}
