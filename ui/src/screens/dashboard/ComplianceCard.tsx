// The note for this kind of node where the user lives: status, confidence, text, sources one
// click away, review date, a staleness warning, and the disclaimer said once.
import { memo } from "preact/compat";
import { useState } from "preact/hooks";
import type { ComplianceView } from "../../bindings";
import { Card } from "../../components/common";
import { type MessageKey, useI18n } from "../../i18n";
import { calendarDate } from "../../lib/format";
import { errorMessage, useAppStore } from "../../state/store";
import { isSafeExternalUrl } from "../../backend";

const STATUS_TONE: Record<string, string> = {
  permitted: "ok",
  "permitted-with-licence": "ok",
  restricted: "warn",
  prohibited: "bad",
  unclear: "unclear",
};

function known(t: (k: MessageKey) => string, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const s = t(key);
  return s === undefined || s === key ? value : s;
}

export const ComplianceCard = memo(function ComplianceCard(props: {
  note: ComplianceView | null;
  jurisdiction: string | null;
  loading: boolean;
  error: string | null;
  onSettings: () => void;
  onNote?: (note: ComplianceView) => void;
}) {
  const { t, locale } = useI18n();
  const store = useAppStore();
  const [openError, setOpenError] = useState<string | null>(null);
  const [ackRead, setAckRead] = useState(false);
  const [ackBusy, setAckBusy] = useState(false);
  const [ackError, setAckError] = useState<string | null>(null);
  const { note } = props;

  const acknowledge = async (version: number) => {
    setAckBusy(true);
    setAckError(null);
    try {
      const fresh = await store.backend.acknowledge(version);
      props.onNote?.(fresh);
    } catch (e) {
      setAckError(errorMessage(e));
    } finally {
      setAckBusy(false);
    }
  };

  const open = async (url: string) => {
    setOpenError(null);
    try {
      await store.backend.openExternal(url);
    } catch (e) {
      setOpenError(errorMessage(e));
    }
  };

  let body;
  if (props.error) body = <p class="text-bad" role="alert">{t("comp.loadFailed", { message: props.error })}</p>;
  else if (!props.jurisdiction)
    body = (
      <div class="empty">
        <p>{t("comp.noJurisdiction")}</p>
        <button type="button" class="btn btn-primary" onClick={props.onSettings}>
          {t("comp.toSettings")}
        </button>
      </div>
    );
  else if (props.loading && !note) body = <p class="muted">{t("load.wait")}</p>;
  else if (!note) body = <p class="muted">{t("comp.noNote")}</p>;
  else {
    const tone = STATUS_TONE[note.status] ?? "unclear";
    body = (
      <div data-testid="compliance">
        <p class="comp-heading">
          <span class={`status-chip chip-${tone}`} data-testid="comp-status">
            {known(t, "comp.status", note.status)}
          </span>{" "}
          <span>{t("comp.heading", { activity: known(t, "comp.activity", note.activity), place: note.jurisdiction_name })}</span>
        </p>
        {note.requires_acknowledgement && note.acknowledged_at_ms === null && <p class="note note-warn">{t("comp.ack")}</p>}
        <p class="comp-text">{note.text}</p>
        <p class="muted small">
          {t("comp.confidence")}: {known(t, "comp.confidence", note.confidence)} · {t("comp.lastReviewed", { date: calendarDate(locale, note.last_reviewed) })}
        </p>
        {note.stale && (
          <p class="note note-warn" data-testid="comp-stale">
            {t("comp.stale")}
          </p>
        )}
        {note.sources.length > 0 && (
          <>
            <h3>{t("comp.sources")}</h3>
            <ul class="sources">
              {note.sources.map((s) => (
                <li key={s.id}>
                  {s.url && isSafeExternalUrl(s.url) ? (
                    <a
                      href={s.url}
                      rel="noopener noreferrer"
                      target="_blank"
                      onClick={(e) => {
                        e.preventDefault();
                        void open(s.url ?? "");
                      }}
                    >
                      {s.title}
                    </a>
                  ) : (
                    <span>
                      {s.title} <span class="muted">({t("comp.noUrl")})</span>
                    </span>
                  )}
                  <span class="muted small"> — {s.issuer}, {s.date}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        {openError && <p class="text-bad" role="alert">{openError}</p>}
        {note.requires_acknowledgement &&
          (note.acknowledged_at_ms === null ? (
            <div class="ack-box" data-testid="comp-ack">
              <label class="check">
                <input type="checkbox" checked={ackRead} onChange={(e) => setAckRead(e.currentTarget.checked)} data-testid="comp-ack-check" />
                <span>{t("comp.ackCheck", { place: note.jurisdiction_name })}</span>
              </label>
              <button type="button" class="btn" disabled={!ackRead || ackBusy} onClick={() => void acknowledge(note.note_version)} data-testid="comp-ack-button">
                {t("comp.ackButton")}
              </button>
              {ackError && <p class="text-bad" role="alert">{ackError}</p>}
            </div>
          ) : (
            <p class="muted small" data-testid="comp-acked">
              {t("comp.ackDone", { date: new Date(note.acknowledged_at_ms).toLocaleString(locale) })}
            </p>
          ))}
      </div>
    );
  }
  return (
    <Card title={t("comp.title")} id="compliance" class={note?.requires_acknowledgement ? "card-attention" : ""}>
      {body}
      {note && !props.error && <p class="disclaimer">{t("comp.disclaimer")}</p>}
    </Card>
  );
});
