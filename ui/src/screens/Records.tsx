// Records: the ledger's rewards and energy for a date range, as a full CSV, a tax tool's CSV or
// a printable yearly summary. The desktop asks where to save; the browser downloads.
import { useState } from "preact/hooks";
import { useI18n } from "../i18n";
import { errorMessage, useAppStore } from "../state/store";

const FORMATS = ["full", "koinly", "cointracker", "bittytax", "summary"] as const;
type Format = (typeof FORMATS)[number];

function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function Records() {
  const { t } = useI18n();
  const store = useAppStore();
  const year = new Date().getFullYear();
  const [format, setFormat] = useState<Format>("full");
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(isoDay(new Date()));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    setError(null);
    if (!from || !to) return setError(t("records.datesNeeded"));
    if (to < from) return setError(t("records.reversed"));
    setBusy(true);
    try {
      const where = await store.backend.exportRecords({ format, from, to });
      setDone(where === null ? t("records.cancelled") : t("records.saved", { where }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card records" onSubmit={run} noValidate data-testid="records">
      <h2>{t("records.title")}</h2>
      <p class="help">{t("records.help")}</p>
      <div class="row">
        <div class="field">
          <label for="r-format">{t("records.format")}</label>
          <select id="r-format" value={format} onChange={(e) => setFormat(e.currentTarget.value as Format)}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`records.format.${f}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="r-from">{t("records.from")}</label>
          <input id="r-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="r-to">{t("records.to")}</label>
          <input id="r-to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </div>
      </div>
      {format !== "full" && format !== "summary" && <p class="help">{t("records.taxNote")}</p>}
      <button type="submit" class="btn" disabled={busy} data-testid="records-export">
        {busy ? t("records.exporting") : t("records.export")}
      </button>
      {done && (
        <p class="text-ok" role="status" data-testid="records-done">
          {done}
        </p>
      )}
      {error && (
        <p class="text-bad" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
