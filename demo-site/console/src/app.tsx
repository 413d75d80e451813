/**
 * The console shell: sign-in until there is a session, then the header (site, navigation, sign out)
 * and the screen the URL names.
 */
import { useEffect } from "preact/hooks";
import logo from "../../assets/logo.svg";
import { api } from "./api.ts";
import { route } from "./router.ts";
import { ChannelsScreen } from "./screens/channels.tsx";
import { DeliveriesScreen } from "./screens/deliveries.tsx";
import { FormEditorScreen, FormsScreen } from "./screens/forms.tsx";
import { InstallScreen } from "./screens/install.tsx";
import { LeadScreen } from "./screens/lead.tsx";
import { LeadsScreen } from "./screens/leads.tsx";
import { MetricsScreen } from "./screens/metrics.tsx";
import { RoutingScreen } from "./screens/routing.tsx";
import { ScoringScreen } from "./screens/scoring.tsx";
import { SignIn } from "./screens/sign-in.tsx";
import { VersionsScreen } from "./screens/versions.tsx";
import { session, signOut, switchSite } from "./session.ts";
import { dirty, resetConfig } from "./site-config.ts";
import { announce, announcement, useLoad } from "./ui/common.tsx";

const NAV = [
  { screen: "leads", label: "Leads", href: "#/leads" },
  { screen: "metrics", label: "Metrics", href: "#/metrics" },
  { screen: "forms", label: "Forms", href: "#/forms" },
  { screen: "channels", label: "Channels", href: "#/channels" },
  { screen: "scoring", label: "Scoring", href: "#/scoring" },
  { screen: "routing", label: "Routing", href: "#/routing" },
  { screen: "deliveries", label: "Deliveries", href: "#/deliveries" },
  { screen: "install", label: "Install", href: "#/install" },
  { screen: "versions", label: "History", href: "#/versions" },
] as const;

interface SiteSummary {
  id: string;
  name: string;
  forms: { id: string; title: string }[];
}

/** The sites this token may see; a choice when there are several. */
function SiteSwitcher({ site, edge }: { site: string; edge: string }) {
  const [load] = useLoad("sites", (signal) => api<{ sites: SiteSummary[] }>("/v1/admin/sites", { signal }));
  const sites = load.state === "ready" ? load.data.sites : [];
  if (sites.length < 2)
    return (
      <span class="site-pill" title={edge}>
        Site <strong>{sites[0]?.name ?? site}</strong>
      </span>
    );
  return (
    <div class="field inline site-switch">
      <label for="site-switch">Site</label>
      <select
        id="site-switch"
        value={site}
        onChange={(e) => {
          const next = e.currentTarget.value;
          if (dirty.value && !confirm(`Your unsaved changes to ${site} will be lost. Switch to ${next}?`)) {
            e.currentTarget.value = site;
            return;
          }
          resetConfig();
          switchSite(next);
          announce(`Now showing ${sites.find((s) => s.id === next)?.name ?? next}.`);
        }}
      >
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name || s.id}
          </option>
        ))}
      </select>
    </div>
  );
}

export function App() {
  const current = session.value;
  // Signed out (or the token refused): the next session loads its own config.
  useEffect(() => {
    if (!current) resetConfig();
  }, [current]);
  // Closing or reloading the tab with unsaved config changes asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirty.value) event.preventDefault();
    };
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, []);
  const live = (
    <div class="visually-hidden" role="status" aria-live="polite">
      {announcement.value}
    </div>
  );
  if (!current)
    return (
      <>
        <SignIn />
        {live}
      </>
    );
  const r = route.value;
  const active = r.screen === "lead" ? "leads" : r.screen === "form" ? "forms" : r.screen;
  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link; the click only keeps the route in the hash. */}
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          // Hash routing owns the fragment: move focus without changing the URL.
          event.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="#/leads">
            <img src={logo} alt="" width="28" height="28" />
            <span>Leadcap</span>
          </a>
          <nav aria-label="Console">
            <ul class="nav">
              {NAV.map((item) => (
                <li key={item.screen}>
                  <a href={item.href} aria-current={active === item.screen ? "page" : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="topbar-end">
            <SiteSwitcher site={current.site} edge={current.edge} />
            <button type="button" class="button button-ghost button-small" onClick={() => signOut()}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      {/* Anchor for the skip link only: hash routing must not treat it as a route. */}
      <main id="main" class="page" tabIndex={-1}>
        {r.screen === "lead" ? (
          <LeadScreen key={r.id} id={r.id!} />
        ) : r.screen === "metrics" ? (
          <MetricsScreen params={r.params} />
        ) : r.screen === "deliveries" ? (
          <DeliveriesScreen />
        ) : r.screen === "install" ? (
          <InstallScreen params={r.params} />
        ) : r.screen === "forms" ? (
          <FormsScreen />
        ) : r.screen === "form" ? (
          <FormEditorScreen id={r.id!} />
        ) : r.screen === "channels" ? (
          <ChannelsScreen />
        ) : r.screen === "scoring" ? (
          <ScoringScreen params={r.params} />
        ) : r.screen === "routing" ? (
          <RoutingScreen />
        ) : r.screen === "versions" ? (
          <VersionsScreen />
        ) : (
          <LeadsScreen params={r.params} />
        )}
      </main>
      {live}
    </>
  );
}
