/**
 * The console shell: sign-in until there is a session, then the header (site, navigation, sign out)
 * and the screen the URL names.
 */
import logo from "../../assets/logo.svg";
import { route } from "./router.ts";
import { DeliveriesScreen } from "./screens/deliveries.tsx";
import { InstallScreen } from "./screens/install.tsx";
import { LeadScreen } from "./screens/lead.tsx";
import { LeadsScreen } from "./screens/leads.tsx";
import { MetricsScreen } from "./screens/metrics.tsx";
import { SignIn } from "./screens/sign-in.tsx";
import { session, signOut } from "./session.ts";
import { announcement } from "./ui/common.tsx";

const NAV = [
  { screen: "leads", label: "Leads", href: "#/leads" },
  { screen: "metrics", label: "Metrics", href: "#/metrics" },
  { screen: "deliveries", label: "Deliveries", href: "#/deliveries" },
  { screen: "install", label: "Install", href: "#/install" },
] as const;

export function App() {
  const current = session.value;
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
  const active = r.screen === "lead" ? "leads" : r.screen;
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
            <span class="site-pill" title={current.edge}>
              Site <strong>{current.site}</strong>
            </span>
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
        ) : (
          <LeadsScreen params={r.params} />
        )}
      </main>
      {live}
    </>
  );
}
