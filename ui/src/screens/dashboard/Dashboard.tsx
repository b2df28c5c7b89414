// The Dashboard: the node and its control, earnings, energy and cost, the machine, the rules
// where the user lives, and history charts.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { ComplianceView, Earnings, Snapshot } from "../../bindings";
import { useI18n } from "../../i18n";
import { errorMessage, isWorking, useAppStore } from "../../state/store";
import { ChartsCard } from "./ChartsCard";
import { ComplianceCard } from "./ComplianceCard";
import { EarningsCard } from "./EarningsCard";
import { EnergyCard } from "./EnergyCard";
import { MachineCard } from "./MachineCard";
import { NodeCard } from "./NodeCard";

export const EARNINGS_REFRESH_MS = 15_000;

export function Dashboard({ snap, theme, onGo }: { snap: Snapshot; theme: string; onGo: (r: "settings" | "logs") => void }) {
  const { t } = useI18n();
  const store = useAppStore();
  const [earnings, setEarnings] = useState<Earnings | null>(null);
  const [earnError, setEarnError] = useState<string | null>(null);
  const [note, setNote] = useState<ComplianceView | null>(null);
  const [noteLoading, setNoteLoading] = useState(true);
  const [noteError, setNoteError] = useState<string | null>(null);
  const { settings, node, profile } = snap;

  useEffect(() => {
    let live = true;
    const load = async () => {
      if (typeof document !== "undefined" && document.visibilityState === "hidden") return;
      try {
        const e = await store.backend.earnings();
        if (live) {
          setEarnings(e);
          setEarnError(null);
        }
      } catch (e) {
        if (live) setEarnError(errorMessage(e));
      }
    };
    void load();
    const id = setInterval(() => void load(), EARNINGS_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [store, node.node_id, settings.currency, settings.price_per_kwh]);

  useEffect(() => {
    let live = true;
    setNoteLoading(true);
    store.backend
      .compliance()
      .then((n) => live && (setNote(n), setNoteError(null)))
      .catch((e: unknown) => live && setNoteError(errorMessage(e)))
      .finally(() => live && setNoteLoading(false));
    return () => {
      live = false;
    };
  }, [store, settings.jurisdiction, settings.language, profile.id]);

  const toSettings = useCallback(() => onGo("settings"), [onGo]);
  const compliance = <ComplianceCard note={note} jurisdiction={settings.jurisdiction} loading={noteLoading} error={noteError} onSettings={toSettings} onNote={setNote} />;
  const attention = note?.requires_acknowledgement === true;

  return (
    <div class="screen">
      <h1 class="sr-only">{t("dash.title")}</h1>
      {snap.notices.length > 0 && (
        <div class="banner banner-warn" role="status">
          <strong>{t("dash.notices")}</strong>
          <ul>
            {snap.notices.map((n) => (
              <li key={n.code + n.message}>{n.message}</li>
            ))}
          </ul>
        </div>
      )}
      <div class="grid">
        <NodeCard node={node} onGo={onGo} />
        {attention && compliance}
        <EarningsCard earnings={earnings} error={earnError} />
        <EnergyCard energy={earnings?.energy ?? null} settings={settings} simulated={profile.simulated || node.simulated} onSettings={toSettings} />
        <MachineCard telemetry={snap.telemetry} node={node} />
        {!attention && compliance}
        <ChartsCard cores={snap.telemetry?.logical_cores ?? 1} theme={theme} working={isWorking(node.state)} />
      </div>
    </div>
  );
}
