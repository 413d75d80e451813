/**
 * Sign in. Behind Cloudflare Access the page already carries the person's sign-in (Access's cookie):
 * the console asks the edge who that is and opens their first site, no token typed. Otherwise, with an
 * admin token, checked against the site before it is kept (for this tab only, in sessionStorage); the
 * edge is the origin the console was served from (session.ts `served`).
 */
import { useEffect, useState } from "preact/hooks";
import type { Me } from "../access.ts";
import { ApiFailure, api, describeError, query, type SiteSummary } from "../api.ts";
import { type Session, served, signIn, signInNotice } from "../session.ts";

/** Tried once per page load: after a sign-out the token form stays. */
let accessTried = false;

/** The session of a Cloudflare Access sign-in on this page, if there is one (a member's, with a site). */
async function accessSession(): Promise<Session | null> {
  const as = { token: "", edge: served.edge, site: "" };
  // Public and never a 401: whether this page carries a member's Access sign-in at all.
  const probe = await api<{ signedIn: boolean }>("/v1/access", { as, anonymous: true });
  if (!probe.signedIn) return null;
  const who = await api<Me>("/v1/admin/me", { as });
  if (who.kind !== "member") return null;
  const { sites } = await api<{ sites: SiteSummary[] }>("/v1/admin/sites", { as });
  return sites[0] ? { ...as, site: sites[0].id } : null;
}

export function SignIn() {
  const [token, setToken] = useState("");
  const [site, setSite] = useState("demo");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (accessTried || signInNotice.value) return;
    accessTried = true;
    setBusy(true);
    accessSession()
      .then((next) => next && signIn(next))
      // No Access sign-in on this page (401), or none this console can use: the token form.
      .catch(() => undefined)
      .finally(() => setBusy(false));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const next = { token: token.trim(), edge: served.edge, site: site.trim() };
    if (!next.token || !next.site) {
      setError("Fill in the token and the site.");
      return;
    }
    setBusy(true);
    setError("");
    try {
      // The cheapest call that proves both: the token is valid, and it may see this site.
      await api(`/v1/admin/leads${query({ site: next.site, limit: 1 })}`, { as: next });
      signIn(next);
    } catch (failure) {
      if (failure instanceof ApiFailure && failure.status === 401)
        setError("That admin token is not accepted.");
      else if (failure instanceof ApiFailure && failure.status === 403)
        setError(`This token may not see the site “${next.site}”.`);
      else setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <form class="card signin-card" onSubmit={submit} noValidate aria-describedby="signin-help">
        <h1>Sign in to the Leadcap console</h1>
        <p id="signin-help" class="muted">
          Use an API token (an owner creates them on the People screen) or the deployment's{" "}
          <code>ADMIN_TOKEN</code>. It is kept in this tab only and forgotten when you close it. Behind
          Cloudflare Access, members are signed in with their company account and see no token form.
        </p>
        {signInNotice.value && (
          <p class="notice" role="status">
            {signInNotice.value}
          </p>
        )}
        <fieldset disabled={busy}>
          <div class="field">
            <label for="token">Admin token</label>
            <input
              id="token"
              type="password"
              autocomplete="off"
              spellcheck={false}
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
              required
            />
          </div>
          <div class="field">
            <label for="site">Site</label>
            <input
              id="site"
              type="text"
              value={site}
              onInput={(e) => setSite(e.currentTarget.value)}
              required
            />
          </div>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button class="button" type="submit">
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </fieldset>
      </form>
    </main>
  );
}
