// The program a real node runs: install the release pinned in Lightrig (with a progress bar),
// or use a program already on this computer. Either way its hash is recorded and checked
// before every start; the bundled practice node has no such section.
import { useEffect, useState } from "preact/hooks";
import type { BinaryView, InstallProgress, NodeInstallView } from "../bindings";
import { useI18n } from "../i18n";
import { bytes } from "../lib/format";
import { errorMessage, useAppStore, useStore } from "../state/store";

const shortHash = (sha256: string) => `${sha256.slice(0, 16)}…`;

export function NodeProgram({ profileId }: { profileId: string }) {
  const { t, locale } = useI18n();
  const store = useAppStore();
  const running = useStore((s) => s.installs);
  const [views, setViews] = useState<NodeInstallView[] | null>(null);
  const [busy, setBusy] = useState<"install" | "adopt" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [path, setPath] = useState("");

  useEffect(() => {
    store.backend
      .installs()
      .then(setViews)
      .catch((e: unknown) => setError(t("program.loadFailed", { message: errorMessage(e) })));
    // Loaded once per visit; each install or choice returns the fresh state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store]);

  const view = views?.find((v) => v.profiles.includes(profileId)) ?? null;
  useEffect(() => {
    setPath(view?.adopted?.path ?? view?.on_path ?? "");
    setError(null);
    setDone(null);
  }, [view?.node]);
  if (!view) return null;

  const replace = (fresh: NodeInstallView) => setViews((vs) => (vs ?? []).map((v) => (v.node === fresh.node ? fresh : v)));
  const size = (n: number) => bytes(locale, n);
  const progress: InstallProgress | null = running[view.node] ?? null;
  const pinned = view.available.state === "pinned" ? view.available : null;
  const current: BinaryView | null = view.uses === "adopted" ? view.adopted : (view.installed[0] ?? null);

  const install = async () => {
    if (!pinned) return;
    setBusy("install");
    setError(null);
    setDone(null);
    try {
      const fresh = await store.backend.install({ node: view.node, version: null, allow_downgrade: false });
      replace(fresh);
      setDone(t("program.installedNow", { name: view.name, version: pinned.version }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const adopt = async (e: Event) => {
    e.preventDefault();
    const chosen = path.trim();
    if (!chosen) {
      setError(t("program.pathMissing"));
      return;
    }
    setBusy("adopt");
    setError(null);
    setDone(null);
    try {
      replace(await store.backend.adopt({ node: view.node, path: chosen }));
      setDone(t("program.adoptedNow", { path: chosen }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const reinstall = pinned !== null && view.uses === "installed" && view.installed[0]?.version === pinned.version;
  return (
    <section class="card node-program" aria-labelledby="np-h">
      <h2 id="np-h">{t("program.title")}</h2>
      <p>
        {view.uses === "installed" && current && t("program.usesInstalled", { version: current.version ?? "", path: current.path })}
        {view.uses === "adopted" && current && t("program.usesAdopted", { path: current.path })}
        {!current && t("program.none", { name: view.name })}
      </p>
      {current && <p class="help">{t("program.checked", { sha: shortHash(current.sha256), size: size(current.size) })}</p>}
      {view.uses === "installed" && view.installed[1] && <p class="help">{t("program.rollback", { version: view.installed[1].version ?? "" })}</p>}

      {pinned && (
        <div class="form-actions program-actions">
          <button type="button" class="btn btn-primary" onClick={install} disabled={busy !== null || progress !== null}>
            {busy === "install" || progress
              ? t("program.installing")
              : reinstall
                ? t("program.reinstall", { version: pinned.version })
                : t("program.install", { version: pinned.version, size: size(pinned.size) })}
          </button>
        </div>
      )}
      {view.available.state === "not-pinned" && <p class="note">{t("program.notPinned", { name: view.name })}</p>}
      {view.available.state === "none" && <p class="note">{t("program.noRelease", { name: view.name })}</p>}
      {progress && (
        <div class="install-progress" role="status">
          <progress value={progress.bytes} max={progress.total || 1} aria-label={t("program.progressLabel", { name: view.name })} />
          <span>
            {t("program.progress", {
              done: size(progress.bytes),
              total: size(progress.total),
              rate: size(progress.rate_bytes_per_s),
            })}
          </span>
        </div>
      )}

      <form class="program-adopt" onSubmit={adopt} noValidate>
        <div class="field">
          <label for={`np-path-${view.node}`}>{t("program.useLabel")}</label>
          <input id={`np-path-${view.node}`} type="text" spellcheck={false} autocomplete="off" value={path} placeholder={t("program.pathPlaceholder")} onInput={(e) => setPath((e.target as HTMLInputElement).value)} />
          <p class="help">{t("program.useHelp")}</p>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn" disabled={busy !== null}>
            {busy === "adopt" ? t("program.checking") : t("program.use")}
          </button>
        </div>
      </form>
      {error && (
        <p class="text-bad" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p class="text-ok" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
