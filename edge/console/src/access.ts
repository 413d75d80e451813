/**
 * What the signed-in principal may do, for the console to offer only that: its role per site from
 * `GET /v1/admin/me`, read against the role table the edge enforces (shared/api/roles.ts). Hiding is
 * a courtesy; the edge refuses anyway.
 */
import { signal } from "@preact/signals";
import type { Me } from "../../../shared/api/people-access.ts";
import { allows, roleOn } from "../../../shared/api/roles.ts";
import { api } from "./api.ts";
import { session } from "./session.ts";

export type { Me };

/** Null until the answer is there (nothing role-gated is shown meanwhile). */
export const me = signal<Me | null>(null);
let loadedFor = "";

/** Asks the edge who this session is, once per token. */
export function loadMe(): void {
  const current = session.value;
  const key = current ? `${current.edge} ${current.token}` : "";
  if (key === loadedFor) return;
  loadedFor = key;
  me.value = null;
  if (!current) return;
  api<Me>("/v1/admin/me").then(
    (answer) => {
      if (loadedFor === key) me.value = answer;
    },
    () => {
      // An edge without /me (or a failure): the nav stays as it was, and the edge still decides.
      if (loadedFor === key) me.value = { kind: "token", name: "", roles: { "*": "owner" } };
    },
  );
}

/** Whether the session is the site's owner: the parts of a config only an owner changes (name, pause, destinations). */
export function isOwner(): boolean {
  const who = me.value;
  const site = session.value?.site;
  return !!who && !!site && roleOn(who.roles, site) === "owner";
}

/** Whether the session may do `operation` (`METHOD /path`, as shared/api/roles.ts names it) on the site in view. */
export function can(operation: string): boolean {
  const who = me.value;
  const site = session.value?.site;
  return !!who && !!site && allows(roleOn(who.roles, site), operation);
}
