// The node catalogue: choose a profile, set its fields (checked here and by the engine), and
// Save & use.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { ProfileView } from "../bindings";
import { ErrorBanner, Prov } from "../components/common";
import { useI18n } from "../i18n";
import { checkAll, type Draft, draftOf, valuesOf } from "../lib/validate";
import { errorMessage, useAppStore } from "../state/store";
import { toBackendError } from "../backend";
import { FieldInput } from "./FieldInput";
import { NodeProgram } from "./NodeProgram";

function draftsOf(p: ProfileView): Record<string, Draft> {
  return Object.fromEntries(p.fields.map((f) => [f.name, draftOf(f, p.values[f.name])]));
}

export function Nodes({ currentId, nodeActive }: { currentId: string; nodeActive: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const store = useAppStore();
  const [profiles, setProfiles] = useState<ProfileView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string>(currentId);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    store.backend
      .profiles()
      .then((ps) => {
        setProfiles(ps);
        const p = ps.find((x) => x.id === chosen) ?? ps[0];
        if (p) {
          setChosen(p.id);
          setDrafts(draftsOf(p));
        }
      })
      .catch((e: unknown) => setLoadError(errorMessage(e)));
    // Loaded once per visit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store]);

  const profile = useMemo(() => profiles?.find((p) => p.id === chosen) ?? null, [profiles, chosen]);

  const choose = (p: ProfileView) => {
    setChosen(p.id);
    setDrafts(draftsOf(p));
    setErrors({});
    setSaveError(null);
    setSaved(null);
  };

  const change = (name: string, v: Draft) => {
    setDrafts((d) => ({ ...d, [name]: v }));
    setSaved(null);
    if (errors[name]) {
      const { [name]: _gone, ...rest } = errors;
      setErrors(rest);
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!profile) return;
    setSaveError(null);
    setSaved(null);
    const found = checkAll(profile.fields, drafts, i18n);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setSaveError(t("nodes.fixErrors"));
      focusFirstError(found, profile);
      return;
    }
    setSaving(true);
    try {
      await store.backend.selectNode(profile.id, valuesOf(profile.fields, drafts));
      await store.refresh();
      setSaved(t("nodes.saved", { name: profile.name }));
    } catch (err) {
      const be = toBackendError(err);
      if (be.field && profile.fields.some((f) => f.name === be.field)) {
        setErrors({ [be.field]: be.message });
        setSaveError(t("nodes.fixErrors"));
        focusFirstError({ [be.field]: be.message }, profile);
      } else setSaveError(be.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div class="screen">
      <h1>{t("nodes.title")}</h1>
      <p class="lead">{t("nodes.intro")}</p>
      {loadError && <ErrorBanner message={t("nodes.loadFailed", { message: loadError })} />}
      {!profiles && !loadError && <p class="muted">{t("nodes.loading")}</p>}
      {profiles && profiles.length === 0 && <p class="empty">{t("nodes.empty")}</p>}
      {profiles && profiles.length > 0 && (
        <div class="nodes-layout">
          <fieldset class="profile-list">
            <legend class="sr-only">{t("nodes.title")}</legend>
            {profiles.map((p) => (
              <label key={p.id} class={`profile${p.id === chosen ? " on" : ""}`}>
                <input type="radio" name="profile" value={p.id} checked={p.id === chosen} onChange={() => choose(p)} aria-label={t("nodes.choose", { name: p.name })} />
                <span class="profile-body">
                  <span class="profile-name">
                    {p.name}
                    {p.id === currentId && <span class="chip chip-ok">{t("nodes.inUse")}</span>}
                  </span>
                  {p.description && <span class="profile-desc">{p.description}</span>}
                  <span class="profile-meta">
                    {t(`comp.activity.${p.activity}` as "comp.activity.staking")} · {p.simulated ? <Prov kind="simulated" /> : t("nodes.real")}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          {profile && (
            <div class="node-side">
            <form class="card node-form" onSubmit={save} noValidate aria-labelledby="node-form-h">
              <h2 id="node-form-h">{t("nodes.configure", { name: profile.name })}</h2>
              {profile.fields.length === 0 && <p class="muted">{t("nodes.noFields")}</p>}
              {profile.fields.map((f) => (
                <FieldInput key={`${profile.id}-${f.name}`} idPrefix={`nf-${profile.id}`} field={f} value={drafts[f.name] ?? (f.kind === "bool" ? false : "")} error={errors[f.name] ?? null} onChange={(v) => change(f.name, v)} />
              ))}
              {nodeActive && <p class="note note-warn">{t("nodes.switchWarn")}</p>}
              {saveError && <p class="text-bad" role="alert">{saveError}</p>}
              {saved && (
                <p class="text-ok" role="status">
                  {saved}
                </p>
              )}
              <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled={saving}>
                  {saving ? t("nodes.saving") : t("nodes.save")}
                </button>
              </div>
            </form>
            <NodeProgram profileId={profile.id} />
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function focusFirstError(errors: Record<string, string>, p: ProfileView): void {
  const first = p.fields.find((f) => errors[f.name]);
  if (first) queueMicrotask(() => document.getElementById(`nf-${p.id}-${first.name}`)?.focus());
}
