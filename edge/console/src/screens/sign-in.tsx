/**
 * Sign in with an admin token. The token is checked against the site before it is kept (for this tab
 * only, in sessionStorage); the edge is the origin the console was served from (session.ts `served`).
 */
import { useState } from "preact/hooks";
import { ApiFailure, api, describeError, query } from "../api.ts";
import { served, signIn, signInNotice } from "../session.ts";

export function SignIn() {
  const [token, setToken] = useState("");
  const [site, setSite] = useState("demo");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

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
          Use an admin token (<code>ADMIN_TOKEN</code>, or one scoped to some sites in{" "}
          <code>ADMIN_TOKENS</code>). It is kept in this tab only and forgotten when you close it.
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
