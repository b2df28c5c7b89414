// Small pieces every screen uses: provenance badges, metrics that say "not available" with a
// reason instead of 0, error banners, cards.
import type { ComponentChildren } from "preact";
import { useI18n } from "../i18n";

export type Provenance = "measured" | "estimated" | "simulated" | "reported";

export function Prov({ kind, source }: { kind: Provenance; source?: string | null | undefined }) {
  const { t } = useI18n();
  const label = t(`prov.${kind}`);
  return (
    <span class={`prov prov-${kind}`} title={source ? `${label}: ${source}` : label}>
      {label}
    </span>
  );
}

/** The value, or "not available: why". Never a made-up 0. */
export function Metric(props: {
  label: string;
  value: string | null;
  /** Why the value is missing (shown when value is null). */
  naReason?: string | null | undefined;
  prov?: Provenance | undefined;
  source?: string | null | undefined;
  detail?: ComponentChildren;
  big?: boolean;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <div class={`metric${props.big ? " metric-big" : ""}`} data-testid={props.testId}>
      <dt class="metric-label">{props.label}</dt>
      <dd class="metric-value">
        {props.value !== null ? (
          <>
            <span class="metric-number">{props.value}</span>
            {props.prov && <Prov kind={props.prov} source={props.source} />}
          </>
        ) : (
          <span class="na">{props.naReason ? t("na.reason", { reason: props.naReason }) : t("na")}</span>
        )}
      </dd>
      {props.detail && <dd class="metric-detail">{props.detail}</dd>}
    </div>
  );
}

export function Card(props: { title: string; id?: string; children: ComponentChildren; actions?: ComponentChildren; class?: string }) {
  const headingId = props.id ? `${props.id}-h` : undefined;
  return (
    <section class={`card ${props.class ?? ""}`} aria-labelledby={headingId} id={props.id}>
      <header class="card-head">
        <h2 id={headingId}>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

export function ErrorBanner({ message, onDismiss }: { message: string; onDismiss?: () => void }) {
  const { t } = useI18n();
  return (
    <div class="banner banner-bad" role="alert">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" class="btn btn-quiet" onClick={onDismiss}>
          {t("common.dismiss")}
        </button>
      )}
    </div>
  );
}

/** A settings form's last row: its error (announced), its "saved" note, and the submit button. */
export function SaveBar(props: {
  error: string | undefined;
  saved: string | null;
  busy: boolean;
  label: string;
  busyLabel?: string;
  class?: string;
  lang?: string;
  errorTestId?: string;
  buttonTestId?: string;
}) {
  return (
    <div class={props.class ? `form-actions ${props.class}` : "form-actions"}>
      {props.error && (
        <p class="text-bad" role="alert" data-testid={props.errorTestId}>
          {props.error}
        </p>
      )}
      {props.saved && (
        <p class="text-ok" role="status">
          {props.saved}
        </p>
      )}
      <button type="submit" class="btn btn-primary" disabled={props.busy} lang={props.lang} data-testid={props.buttonTestId}>
        {props.busy && props.busyLabel ? props.busyLabel : props.label}
      </button>
    </div>
  );
}

export function Spinner() {
  return <span class="spinner" aria-hidden="true" />;
}
