// Desktop: Tauri IPC commands and events. Chosen when window.__TAURI_INTERNALS__ exists.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AdoptRequest, ComplianceView, Earnings, ExportQuery, InstallRequest, LogLine, NodeInstallView, PriceListView, PricesEdit, PricesView, ProfileView, Series, SeriesRange, SettingValue, SettingsView, Snapshot } from "../bindings";
import { type Backend, EVENT_NAMES, makeEvent, refuseUnsafeUrl, toBackendError } from "./types";

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toBackendError(e, "ipc");
  }
}

export class TauriBackend implements Backend {
  readonly kind = "tauri" as const;

  snapshot(): Promise<Snapshot> {
    return call("get_snapshot");
  }
  start(): Promise<void> {
    return call("start_node");
  }
  stop(): Promise<void> {
    return call("stop_node");
  }
  pause(): Promise<void> {
    return call("pause_node");
  }
  resume(): Promise<void> {
    return call("resume_node");
  }
  profiles(): Promise<ProfileView[]> {
    return call("list_profiles");
  }
  selectNode(profileId: string, values: Record<string, SettingValue>): Promise<void> {
    return call("select_node", { profileId, values });
  }
  logs(afterSeq: number): Promise<LogLine[]> {
    return call("get_logs", { afterSeq });
  }
  series(range: SeriesRange): Promise<Series> {
    return call("get_series", { range });
  }
  earnings(): Promise<Earnings> {
    return call("get_earnings");
  }
  saveSettings(settings: SettingsView): Promise<SettingsView> {
    return call("save_settings", { settings });
  }
  prices(): Promise<PricesView> {
    return call("get_prices");
  }
  savePrices(edit: PricesEdit): Promise<PricesView> {
    return call("save_prices", { edit });
  }
  compliance(): Promise<ComplianceView | null> {
    return call("get_compliance");
  }
  acknowledge(noteVersion: number): Promise<ComplianceView> {
    return call("acknowledge_note", { noteVersion });
  }
  importTariffPrices(csv: string): Promise<PriceListView> {
    return call("import_tariff_prices", { csv });
  }
  exportRecords(query: ExportQuery): Promise<string | null> {
    return call("export_records", { query });
  }
  installs(): Promise<NodeInstallView[]> {
    return call("list_installs");
  }
  install(request: InstallRequest): Promise<NodeInstallView> {
    return call("install_node", { request });
  }
  adopt(request: AdoptRequest): Promise<NodeInstallView> {
    return call("adopt_program", { request });
  }
  async openExternal(url: string): Promise<void> {
    refuseUnsafeUrl(url);
    return call("open_external", { url });
  }
  quit(): Promise<void> {
    return call("quit_app");
  }

  subscribe(onEvent: Parameters<Backend["subscribe"]>[0]): () => void {
    let closed = false;
    const unlisteners: UnlistenFn[] = [];
    for (const name of EVENT_NAMES) {
      listen(name, (e) => onEvent(makeEvent(name, e.payload)))
        .then((un) => (closed ? un() : unlisteners.push(un)))
        .catch((e: unknown) => console.error(`listening to ${name} failed`, e));
    }
    return () => {
      closed = true;
      for (const un of unlisteners.splice(0)) un();
    };
  }
}
