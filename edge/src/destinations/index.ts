/** Every destination type and its adapter: one file each, one interface (types.ts). */
import type { Destination } from "../../../shared/destinations.ts";
import { hubspot } from "./hubspot.ts";
import { pipedrive } from "./pipedrive.ts";
import { salesforce } from "./salesforce.ts";
import { slack } from "./slack.ts";
import type { DestinationAdapter, OutgoingEvent, SendContext, SendResult } from "./types.ts";
import { webhook } from "./webhook.ts";

const ADAPTERS: { [T in Destination["type"]]: DestinationAdapter<Extract<Destination, { type: T }>> } = {
  webhook,
  slack,
  hubspot,
  salesforce,
  pipedrive,
};

export function send(
  destination: Destination,
  event: OutgoingEvent,
  context: SendContext,
): Promise<SendResult> {
  const adapter = ADAPTERS[destination.type] as DestinationAdapter;
  return adapter.send(destination, event, context);
}

export type { OutgoingEvent, SendContext, SendResult } from "./types.ts";
