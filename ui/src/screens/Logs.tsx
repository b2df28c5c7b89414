// The node's live log: backfilled at start, then live. Filter by text and stream, pause
// following, copy what is shown. stderr and Lightrig's own lines look different.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Stream } from "../bindings";
import { useI18n } from "../i18n";
import { num, timeOfDay } from "../lib/format";
import { useStore } from "../state/store";

const STREAMS: Stream[] = ["stdout", "stderr", "lightrig"];
/** At most this many lines are drawn; the filter and copy still see all kept lines. */
const DRAWN = 1500;

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("the browser refused");
}

export function Logs() {
  const { t, locale } = useI18n();
  const logs = useStore((s) => s.logs);
  const [query, setQuery] = useState("");
  const [shown, setShown] = useState<Record<Stream, boolean>>({ stdout: true, stderr: true, lightrig: true });
  const [follow, setFollow] = useState(true);
  const [copyMsg, setCopyMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const box = useRef<HTMLDivElement>(null);

  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    return logs.filter((l) => shown[l.stream] && (q === "" || l.text.toLowerCase().includes(q)));
  }, [logs, query, shown]);
  const drawn = filtered.length > DRAWN ? filtered.slice(filtered.length - DRAWN) : filtered;

  useLayoutEffect(() => {
    const el = box.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [drawn, follow]);

  // Scrolling up by hand stops following; back at the bottom, it follows again.
  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (atBottom !== follow) setFollow(atBottom);
  };

  useEffect(() => {
    if (!copyMsg) return;
    const id = setTimeout(() => setCopyMsg(null), 4000);
    return () => clearTimeout(id);
  }, [copyMsg]);

  const copy = async () => {
    const text = filtered.map((l) => `${new Date(l.at_ms).toISOString()} [${l.stream}] ${l.text}`).join("\n");
    try {
      await copyText(text);
      setCopyMsg({ ok: true, text: t("logs.copied", { n: num(locale, filtered.length, 0) }) });
    } catch (e) {
      setCopyMsg({ ok: false, text: t("logs.copyFailed", { message: e instanceof Error ? e.message : String(e) }) });
    }
  };

  return (
    <div class="screen screen-logs">
      <h1>{t("logs.title")}</h1>
      <div class="log-tools">
        <label class="log-filter">
          <span>{t("logs.filter")}</span>
          <input type="search" value={query} placeholder={t("logs.filterPlaceholder")} onInput={(e) => setQuery(e.currentTarget.value)} data-testid="log-filter" />
        </label>
        <fieldset class="log-streams">
          <legend>{t("logs.streams")}</legend>
          {STREAMS.map((s) => (
            <label key={s} class="check">
              <input type="checkbox" checked={shown[s]} onChange={(e) => setShown({ ...shown, [s]: e.currentTarget.checked })} />
              <span class={`tag tag-${s}`}>{t(`logs.stream.${s}`)}</span>
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} data-testid="log-follow" />
          <span>{t("logs.follow")}</span>
        </label>
        <button type="button" class="btn" onClick={copy} disabled={filtered.length === 0}>
          {t("logs.copy")}
        </button>
      </div>
      <p class="muted small" aria-live="polite">
        {t("logs.count", { shown: num(locale, filtered.length, 0), total: num(locale, logs.length, 0) })}
        {copyMsg && <span class={copyMsg.ok ? "text-ok" : "text-bad"}> · {copyMsg.text}</span>}
      </p>
      <div class="log-view" ref={box} onScroll={onScroll} tabIndex={0} role="log" aria-label={t("logs.region")} data-testid="log-view">
        {logs.length === 0 ? (
          <p class="empty">{t("logs.empty")}</p>
        ) : filtered.length === 0 ? (
          <p class="empty">{t("logs.noMatch")}</p>
        ) : (
          drawn.map((l) => (
            <div key={l.id} class={`log-line log-${l.stream}`}>
              <span class="log-time">{timeOfDay(locale, l.at_ms)}</span>
              <span class={`tag tag-${l.stream}`}>{t(`logs.tag.${l.stream}`)}</span>
              <span class="log-text">{l.text}</span>
            </div>
          ))
        )}
      </div>
    </div>
  );
}
