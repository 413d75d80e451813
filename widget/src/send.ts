/**
 * What a form needs once the visitor acts on it, and not to be shown: the checks of their answers,
 * their messages in English and which of the edge's field errors to show; the outbox that persists,
 * sends and retries a submission; the analytics batches of /v1/events. In the source (the console's
 * preview, the tests) the form and the UI import them from here; in the served build they are
 * leadcap-send.js (`__leadcap_send`), which leadcap-ui.js fetches as soon as it has shown a form (see
 * ./send-lazy.ts and ui/inline.ts), so what a page loads to show a form is only what showing it
 * takes. A visitor who answers before it arrives waits for it; one who is offline by then still has
 * the submission kept (outbox `persist`).
 */
import { MESSAGES_EN } from "../../shared/messages.ts";
import { withFallback } from "./api.ts";
import { createEvents, type Events } from "./events.ts";
import type { InlineContext, Strings } from "./host.ts";
import { createOutbox, type Outbox } from "./outbox.ts";
import { idle } from "./tasks.ts";
import { fixable, validateField, validateForm } from "./validate.ts";

/** The built-in English validation and sending messages (other languages: leadcap-i18n.js). */
const strings: Partial<Strings> = {
  sending: "Sending…",
  retry: "We could not send your details. Check your connection and try again.",
  held: "Your details are saved on this device and will be sent automatically as soon as this site can receive them.",
  refused:
    "Sorry, this form cannot take your details right now. Please try again later or contact us another way.",
  // The validation messages: the edge answers the same ones (shared/messages.ts).
  ...MESSAGES_EN,
};

export interface Sender {
  outbox: Outbox;
  events: Events;
}

/**
 * The page's outbox and analytics batches (one of each, made once the chunk is here), which starts by
 * resending what a closed tab left in the outbox once the page is idle.
 */
function start({ endpoint, fetch, host, gone }: InlineContext): Sender {
  const outbox = createOutbox({ fetch: withFallback(fetch) });
  const events = createEvents(endpoint, host.site, fetch, () => host.signals().attribution.lastTouch);
  idle(() => gone() || void outbox.flush());
  return { outbox, events };
}

export const send = { start, validateField, validateForm, fixable, strings };

export type Send = typeof send;
