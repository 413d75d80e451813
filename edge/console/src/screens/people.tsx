/**
 * People (owners only): members, who sign in through Cloudflare Access with their email and get a
 * role per site, and API tokens for programs (a CRM writing back, a script exporting CSV), shown once
 * when made and revocable. Changes are recorded in the audit log.
 */
import { useState } from "preact/hooks";
import type { ApiToken, Member } from "../../../../shared/api/people-access.ts";
import { ROLES, type Role } from "../../../../shared/api/roles.ts";
import { api, describeError } from "../api.ts";
import { formatTime } from "../format.ts";
import { session } from "../session.ts";
import { announce, LoadState, PageTitle, ScrollRegion, Snippet, useLoad } from "../ui/common.tsx";

const ROLE_HELP: Record<Role, string> = {
  owner: "members, tokens, sites, destinations, erasure",
  editor: "forms, channels, scoring, routing, replay",
  analyst: "reads leads and metrics, exports CSV",
  crm: "reports stages, outcomes and product events only",
};

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value as Role)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {role} — {ROLE_HELP[role]}
        </option>
      ))}
    </select>
  );
}

/** "this site" or "every site", the two scopes the console offers (the API takes any list). */
function ScopeSelect({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  const site = session.value!.site;
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
      <option value={site}>this site ({site})</option>
      <option value="*">every site</option>
    </select>
  );
}

const rolesText = (roles: Record<string, string>) =>
  Object.entries(roles)
    .map(([site, role]) => `${site === "*" ? "every site" : site}: ${role}`)
    .join(", ");

function Members() {
  const [load, reload] = useLoad("members", (signal) =>
    api<{ members: Member[] }>("/v1/admin/members", { signal }),
  );
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("analyst");
  const [scope, setScope] = useState(session.value!.site);
  const [error, setError] = useState("");
  const save = async (event: Event) => {
    event.preventDefault();
    setError("");
    try {
      const existing =
        load.state === "ready"
          ? load.data.members.find((m) => m.email === email.trim().toLowerCase())
          : undefined;
      const roles = { ...(existing?.roles ?? {}), [scope]: role };
      await api(`/v1/admin/members/${encodeURIComponent(email.trim())}`, { method: "PUT", body: { roles } });
      announce(`${email} is ${role} on ${scope === "*" ? "every site" : scope}.`);
      setEmail("");
      reload();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const remove = async (member: Member) => {
    if (!confirm(`Remove ${member.email}? They lose access at their next request.`)) return;
    try {
      await api(`/v1/admin/members/${encodeURIComponent(member.email)}`, { method: "DELETE" });
      announce(`${member.email} removed.`);
      reload();
    } catch (e) {
      announce(`Could not remove ${member.email}: ${describeError(e)}`);
    }
  };
  return (
    <section class="card" aria-labelledby="people-members">
      <h2 id="people-members">Members</h2>
      <p class="muted">
        People sign in through Cloudflare Access with their work email; the role here says what they may do.
      </p>
      <LoadState load={load} what="members" />
      {load.state === "ready" && (
        <ScrollRegion label="Member list">
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Roles</th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {load.data.members.map((m) => (
                <tr key={m.email}>
                  <td>{m.email}</td>
                  <td>{rolesText(m.roles)}</td>
                  <td>{formatTime(m.createdAt)}</td>
                  <td>
                    <button type="button" class="button button-small button-ghost" onClick={() => remove(m)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <form class="stack" onSubmit={save}>
        <div class="field">
          <label for="member-email">Email</label>
          <input
            id="member-email"
            type="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="member-role">Role</label>
          <RoleSelect id="member-role" value={role} onChange={setRole} />
        </div>
        <div class="field">
          <label for="member-scope">On</label>
          <ScopeSelect id="member-scope" value={scope} onChange={setScope} />
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button">
          Add or change member
        </button>
      </form>
    </section>
  );
}

function Tokens() {
  const [load, reload] = useLoad("tokens", (signal) =>
    api<{ tokens: ApiToken[] }>("/v1/admin/tokens", { signal }),
  );
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("crm");
  const [scope, setScope] = useState(session.value!.site);
  const [expires, setExpires] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState("");
  const create = async (event: Event) => {
    event.preventDefault();
    setError("");
    try {
      const answer = await api<{ token: string; apiToken: ApiToken }>("/v1/admin/tokens", {
        method: "POST",
        body: {
          name,
          role,
          sites: scope === "*" ? "*" : [scope],
          ...(expires ? { expiresAt: new Date(`${expires}T23:59:59Z`).toISOString() } : {}),
        },
      });
      setCreated({ name: answer.apiToken.name, token: answer.token });
      setName("");
      reload();
    } catch (e) {
      setError(describeError(e));
    }
  };
  const revoke = async (token: ApiToken) => {
    if (!confirm(`Revoke "${token.name}"? Whatever uses it stops working at once.`)) return;
    try {
      await api(`/v1/admin/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
      announce(`"${token.name}" revoked.`);
      reload();
    } catch (e) {
      announce(`Could not revoke "${token.name}": ${describeError(e)}`);
    }
  };
  return (
    <section class="card" aria-labelledby="people-tokens">
      <h2 id="people-tokens">API tokens</h2>
      <p class="muted">For programs: a CRM reporting stages and outcomes, a script exporting leads.</p>
      {created && (
        <div class="notice" role="status">
          <p>
            <strong>Copy the token for “{created.name}” now</strong>: it is shown this once and only its hash
            is kept.
          </p>
          <Snippet id="created-token" label="API token" text={created.token} />
          <button type="button" class="button button-small button-ghost" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <LoadState load={load} what="tokens" />
      {load.state === "ready" && (
        <ScrollRegion label="Token list">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Sites</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {load.data.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td>{t.sites === "*" ? "every site" : t.sites.join(", ")}</td>
                  <td>{t.expiresAt ? formatTime(t.expiresAt) : "never"}</td>
                  <td>{t.lastUsedAt ? formatTime(t.lastUsedAt) : "never"}</td>
                  <td>
                    {t.revokedAt ? (
                      <span class="muted">revoked {formatTime(t.revokedAt)}</span>
                    ) : (
                      <button
                        type="button"
                        class="button button-small button-ghost"
                        onClick={() => revoke(t)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <form class="stack" onSubmit={create}>
        <div class="field">
          <label for="token-name">Name</label>
          <input
            id="token-name"
            required
            maxLength={80}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="token-role">Role</label>
          <RoleSelect id="token-role" value={role} onChange={setRole} />
        </div>
        <div class="field">
          <label for="token-scope">On</label>
          <ScopeSelect id="token-scope" value={scope} onChange={setScope} />
        </div>
        <div class="field">
          <label for="token-expires">Expires (optional)</label>
          <input
            id="token-expires"
            type="date"
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        </div>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button">
          Create token
        </button>
      </form>
    </section>
  );
}

export function PeopleScreen() {
  return (
    <>
      <div class="page-head">
        <PageTitle title="People">People and tokens</PageTitle>
      </div>
      <div class="stack">
        <Members />
        <Tokens />
      </div>
    </>
  );
}
