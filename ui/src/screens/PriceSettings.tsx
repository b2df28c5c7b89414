// Coin prices: a price per coin the user sets ("set on <date>"), and the opt-in price feed with
// one sentence saying what it contacts and how often, its address, and what it did last. Its
// own form, so saving it never sends half-typed values of the other cards; the engine's errors
// are shown at the field they name.
import { useEffect, useState } from "preact/hooks";
import type { PricesView } from "../bindings";
import { toBackendError } from "../backend";
import { SaveBar } from "../components/common";
import { useI18n } from "../i18n";
import { dateTime } from "../lib/format";
import { useAppStore } from "../state/store";

type Row = { asset: string; price: string };
type Errors = Record<string, string>;

/** An engine field ("prices.XMR", "feed_url", "refresh_minutes") → the form's key. */
export function priceErrorKey(field: string | null): string {
  return field ?? "form";
}

export function PriceSettings() {
  const { t, locale } = useI18n();
  const store = useAppStore();
  const [view, setView] = useState<PricesView | null>(null);
  const [rows, setRows] = useState<Row[]>([]);
  const [enabled, setEnabled] = useState(false);
  const [url, setUrl] = useState("");
  const [minutes, setMinutes] = useState("15");
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const load = (v: PricesView) => {
    setView(v);
    setRows(v.coins.map((c) => ({ asset: c.asset, price: c.price })));
    setEnabled(v.feed.enabled);
    setUrl(v.feed.url);
    setMinutes(String(v.feed.refresh_minutes));
  };

  useEffect(() => {
    store.backend.prices().then(load, (e: unknown) => setErrors({ form: toBackendError(e).message }));
  }, [store.backend]);

  if (!view) {
    return errors.form ? <p class="text-bad">{errors.form}</p> : null;
  }

  const touched = () => setSaved(false);
  const setRow = (i: number, r: Partial<Row>) => (setRows(rows.map((x, j) => (j === i ? { ...x, ...r } : x))), touched());

  const save = async (ev: Event) => {
    ev.preventDefault();
    setSaved(false);
    const n = Number(minutes);
    if (!Number.isInteger(n) || n < view.feed.min_refresh_minutes) {
      setErrors({ refresh_minutes: t("prices.feed.refresh", { min: String(view.feed.min_refresh_minutes) }) });
      return;
    }
    setBusy(true);
    try {
      const next = await store.backend.savePrices({
        coins: rows.filter((r) => r.asset.trim() !== "" || r.price.trim() !== "").map((r) => ({ asset: r.asset.trim().toUpperCase(), price: r.price.trim() })),
        feed_enabled: enabled,
        feed_url: url.trim(),
        refresh_minutes: n,
      });
      load(next);
      setErrors({});
      setSaved(true);
    } catch (e) {
      const err = toBackendError(e);
      setErrors({ [priceErrorKey(err.field)]: err.message });
    } finally {
      setBusy(false);
    }
  };

  const err = (key: string, id: string) =>
    errors[key] ? (
      <p class="field-error" id={`${id}-err`} data-testid={`err-${key}`}>
        {errors[key]}
      </p>
    ) : null;
  const stored = (asset: string) => view.coins.find((c) => c.asset === asset.trim().toUpperCase());
  const feed = view.feed;

  return (
    <form class="settings" onSubmit={save} noValidate data-testid="price-settings">
      <section class="card">
        <h2>{t("prices.title")}</h2>
        <p class="help">{t("prices.intro")}</p>
        {rows.length === 0 && <p class="muted" data-testid="prices-empty">{t("prices.empty")}</p>}
        {rows.map((r, i) => {
          const id = `price-${i}`;
          const key = `prices.${r.asset.trim().toUpperCase()}`;
          const c = stored(r.asset);
          return (
            <div class={`row field${errors[key] ? " has-error" : ""}`} key={id} data-testid={`price-row-${i}`}>
              <div class="field">
                <label for={`${id}-asset`}>{t("prices.asset")}</label>
                <input id={`${id}-asset`} type="text" autoComplete="off" size={8} value={r.asset} onInput={(x) => setRow(i, { asset: x.currentTarget.value })} />
              </div>
              <div class="field">
                <label for={`${id}-price`}>{t("prices.price", { currency: view.currency })}</label>
                <input
                  id={`${id}-price`}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  class="input-num"
                  value={r.price}
                  onInput={(x) => setRow(i, { price: x.currentTarget.value })}
                  aria-invalid={errors[key] ? true : undefined}
                  aria-describedby={`${id}-help${errors[key] ? ` ${id}-err` : ""}`}
                />
                <p class="help" id={`${id}-help`} data-testid={`price-set-${i}`}>
                  {c && c.currency !== view.currency
                    ? t("prices.otherCurrency", { currency: c.currency })
                    : c
                      ? c.set_at_ms !== null
                        ? t("prices.setOn", { when: dateTime(locale, c.set_at_ms) })
                        : t("prices.setUnknown")
                      : null}
                </p>
                {err(key, id)}
              </div>
              <button type="button" class="btn" onClick={() => (setRows(rows.filter((_, j) => j !== i)), touched())}>
                {t("prices.remove", { asset: r.asset || "?" })}
              </button>
            </div>
          );
        })}
        <button type="button" class="btn" onClick={() => (setRows([...rows, { asset: "", price: "" }]), touched())} data-testid="price-add">
          {t("prices.add")}
        </button>
      </section>

      <section class="card" data-testid="price-feed">
        <h2>{t("prices.feed.title")}</h2>
        <div class="field field-check">
          <label class="check" for="feed-on">
            <input id="feed-on" type="checkbox" checked={enabled} onChange={(x) => (setEnabled(x.currentTarget.checked), touched())} aria-describedby="feed-sentence" data-testid="feed-on" />
            <span>{t("prices.feed.switch")}</span>
          </label>
          <p class="help" id="feed-sentence" data-testid="feed-sentence">
            {t("prices.feed.sentence", { host: feed.host || url, assets: feed.assets.join(", "), currency: view.currency, minutes: String(feed.refresh_minutes) })}
          </p>
        </div>
        <div class={`field${errors.feed_url ? " has-error" : ""}`}>
          <label for="feed-url">{t("prices.feed.url")}</label>
          <input id="feed-url" type="url" autoComplete="off" value={url} onInput={(x) => (setUrl(x.currentTarget.value), touched())} aria-describedby={errors.feed_url ? "feed-url-err" : undefined} />
          {err("feed_url", "feed-url")}
        </div>
        <div class={`field${errors.refresh_minutes ? " has-error" : ""}`}>
          <label for="feed-min">{t("prices.feed.refresh", { min: String(feed.min_refresh_minutes) })}</label>
          <input id="feed-min" type="number" min={feed.min_refresh_minutes} class="input-num" value={minutes} onInput={(x) => (setMinutes(x.currentTarget.value), touched())} />
          {err("refresh_minutes", "feed-min")}
        </div>
        <div data-testid="feed-status" role="status">
          {!feed.enabled ? (
            <p class="muted small">{t("prices.feed.off")}</p>
          ) : (
            <>
              <p class="small">{feed.last_success_ms !== null ? t("prices.feed.lastSuccess", { when: dateTime(locale, feed.last_success_ms) }) : t("prices.feed.never")}</p>
              {feed.last_error && (
                <p class="text-bad small" data-testid="feed-error">
                  {t("prices.feed.lastError", { error: feed.last_error })}
                </p>
              )}
              {feed.problems.length > 0 && <p class="small muted">{t("prices.feed.problems", { problems: feed.problems.join("; ") })}</p>}
            </>
          )}
        </div>
      </section>

      <SaveBar error={errors.form} saved={saved ? t("prices.saved") : null} busy={busy} label={t("prices.save")} buttonTestId="prices-save" />
    </form>
  );
}
