// The app: picks the screen (first run, dashboard, nodes, log, settings), applies theme and
// language, and keeps the node's state visible in the rail on every screen.
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import type { Theme } from "./bindings";
import { ErrorBanner } from "./components/common";
import { I18nContext, makeI18n, resolveLocale, useI18n } from "./i18n";
import { Dashboard } from "./screens/dashboard/Dashboard";
import { FirstRun } from "./screens/FirstRun";
import { Logs } from "./screens/Logs";
import { Nodes } from "./screens/Nodes";
import { Settings } from "./screens/Settings";
import { describeState, stateLine } from "./state/nodeState";
import { type AppStore, StoreContext, useAppStore as useStoreRef, useNow, useStore } from "./state/store";

export const ROUTES = ["dashboard", "nodes", "logs", "settings"] as const;
export type Route = (typeof ROUTES)[number];

function routeFromHash(hash: string): Route {
  const r = hash.replace(/^#\/?/, "");
  return (ROUTES as readonly string[]).includes(r) ? (r as Route) : "dashboard";
}

function systemDark(): boolean {
  return typeof window.matchMedia === "function" && window.matchMedia("(prefers-color-scheme: dark)").matches;
}

/** "system" follows the OS, and keeps following it while the app is open. */
function useResolvedTheme(theme: Theme): "light" | "dark" {
  const [dark, setDark] = useState(systemDark);
  useEffect(() => {
    if (typeof window.matchMedia !== "function") return;
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const on = () => setDark(mq.matches);
    mq.addEventListener?.("change", on);
    return () => mq.removeEventListener?.("change", on);
  }, []);
  return theme === "system" ? (dark ? "dark" : "light") : theme;
}

export function App({ store }: { store: AppStore }) {
  return (
    <StoreContext.Provider value={store}>
      <Root store={store} />
    </StoreContext.Provider>
  );
}

function Root({ store }: { store: AppStore }) {
  const phase = useStore((s) => s.phase);
  const snap = useStore((s) => s.snapshot);
  const settings = snap?.settings;
  const locale = resolveLocale(settings?.language, typeof navigator !== "undefined" ? navigator.languages ?? [navigator.language] : []);
  const i18n = useMemo(() => makeI18n(locale), [locale]);
  const theme = useResolvedTheme(settings?.theme ?? "system");

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = locale;
  }, [theme, locale]);

  useEffect(() => {
    void store.init();
    return () => store.dispose();
  }, [store]);

  return (
    <I18nContext.Provider value={i18n}>
      {phase === "unauthorized" ? <Unauthorized /> : phase === "error" ? <LoadError /> : phase === "loading" || !snap ? <Loading /> : <Ready theme={theme} />}
    </I18nContext.Provider>
  );
}

function Loading() {
  const { t } = useI18n();
  return (
    <main class="center" id="main">
      <p class="muted">{t("load.wait")}</p>
    </main>
  );
}

function Unauthorized() {
  const { t } = useI18n();
  return (
    <main class="center" id="main">
      <div class="card narrow" data-testid="unauthorized">
        <h1>{t("unauth.title")}</h1>
        <p>{t("unauth.body")}</p>
      </div>
    </main>
  );
}

function LoadError() {
  const { t } = useI18n();
  const store = useStoreRef();
  const message = useStore((s) => s.loadError) ?? "";
  return (
    <main class="center" id="main">
      <div class="card narrow" role="alert">
        <h1>{t("load.title")}</h1>
        <p>{t("load.body", { message })}</p>
        <button type="button" class="btn btn-primary" onClick={() => void store.init()}>
          {t("load.retry")}
        </button>
      </div>
    </main>
  );
}


function Ready({ theme }: { theme: "light" | "dark" }) {
  const { t } = useI18n();
  const store = useStoreRef();
  const snap = useStore((s) => s.snapshot);
  const [route, setRoute] = useState<Route>(() => routeFromHash(window.location.hash));
  const [flash, setFlash] = useState<string | null>(null);

  useEffect(() => {
    const on = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);

  // Stable, so memoised cards that take it do not re-render with every sample.
  const go = useCallback((r: Route) => {
    setRoute(r);
    if (window.location.hash !== `#/${r}`) window.history.replaceState(window.history.state, "", `#/${r}`);
    queueMicrotask(() => document.getElementById("main")?.focus());
  }, []);

  if (!snap) return null;
  if (!snap.settings.onboarded)
    return (
      <FirstRun
        snap={snap}
        onDone={(err) => {
          setFlash(err);
          go("dashboard");
        }}
      />
    );

  return (
    <div class="shell">
      <Rail route={route} onGo={go} />
      <main id="main" tabIndex={-1} class="main">
        {store.backend.kind === "mock" && <p class="banner banner-warn">{t("mock.banner")}</p>}
        <LinkBanner />
        {flash && <ErrorBanner message={flash} onDismiss={() => setFlash(null)} />}
        {route === "dashboard" && <Dashboard snap={snap} theme={theme} onGo={go} />}
        {route === "nodes" && <Nodes currentId={snap.profile.id} nodeActive={snap.node.state.kind !== "stopped" && snap.node.state.kind !== "failed"} />}
        {route === "logs" && <Logs />}
        {route === "settings" && <Settings key={JSON.stringify(snap.settings)} settings={snap.settings} />}
      </main>
    </div>
  );
}

function LinkBanner() {
  const { t } = useI18n();
  const link = useStore((s) => s.link);
  if (link !== "reconnecting") return null;
  return (
    <div class="banner banner-warn" role="status">
      {t("link.reconnecting")}
    </div>
  );
}

const ICONS: Record<Route, string> = {
  dashboard: "M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z",
  nodes: "M4 4h16v6H4zm0 10h16v6H4zm3-7h2m-2 10h2",
  logs: "M4 5h16M4 10h16M4 15h10M4 20h7",
  settings: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm9 4-2.1-.7-.6-1.5 1-2-1.6-1.6-2 1-1.5-.6L13.5 3h-3l-.7 2.1-1.5.6-2-1-1.6 1.6 1 2-.6 1.5L3 10.5v3l2.1.7.6 1.5-1 2 1.6 1.6 2-1 1.5.6.7 2.1h3l.7-2.1 1.5-.6 2 1 1.6-1.6-1-2 .6-1.5L21 13.5z",
};

function Rail({ route, onGo }: { route: Route; onGo: (r: Route) => void }) {
  const i = useI18n();
  const { t } = i;
  const store = useStoreRef();
  const node = useStore((s) => s.snapshot?.node);
  // The rail shows a countdown only for backoff; other states need no clock.
  const now = useNow(1000, node?.state.kind === "backoff");
  const view = node ? describeState(node.state, now, i) : null;
  const line = view ? stateLine(view) : "";
  useEffect(() => {
    document.title = node ? `${view?.title ?? ""} · ${t("app.name")}` : t("app.name");
  }, [view?.title, node, t]);
  const labels: Record<Route, string> = { dashboard: t("nav.dashboard"), nodes: t("nav.nodes"), logs: t("nav.logs"), settings: t("nav.settings") };
  return (
    // The column paints the rail's colour down the whole page; the rail inside it stays in view.
    <div class="rail-col">
      <nav class="rail" aria-label={t("nav.label")}>
        <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
          {t("nav.skip")}
        </a>
        <p class="brand">
          <span class="logo" aria-hidden="true" />
          {t("app.name")}
        </p>
        {node && view && (
          <button type="button" class={`rail-state tone-${view.tone}`} onClick={() => onGo("dashboard")} title={line} data-testid="rail-state">
            <span class="state-dot" aria-hidden="true" />
            <span class="rail-state-text">
              <strong>{view.title}</strong>
              <span class="rail-profile">{node.profile_name}</span>
              {(view.countdown ?? view.reason) && <span class="rail-reason">{view.countdown ?? view.reason}</span>}
            </span>
          </button>
        )}
        <ul>
          {ROUTES.map((r) => (
            <li key={r}>
              <a href={`#/${r}`} aria-current={route === r ? "page" : undefined} onClick={(e) => (e.preventDefault(), onGo(r))}>
                <svg viewBox="0 0 24 24" aria-hidden="true" class="icon">
                  <path d={ICONS[r]} />
                </svg>
                {labels[r]}
              </a>
            </li>
          ))}
        </ul>
        <span class="spacer" />
        {store.backend.quit && (
          <button type="button" class="btn btn-quiet rail-quit" onClick={() => void store.backend.quit?.()} title={t("nav.quitHelp")}>
            {t("nav.quit")}
          </button>
        )}
      </nav>
    </div>
  );
}
