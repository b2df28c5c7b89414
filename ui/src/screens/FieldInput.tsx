// One node field as a form control, with its label, help and inline error.
import { useState } from "preact/hooks";
import type { FieldView } from "../bindings";
import { useI18n } from "../i18n";
import type { Draft } from "../lib/validate";

/** A password field: "saved in your keychain" with Replace, or an input for a new one. The
 * saved password never comes back to the UI; Lightrig only knows that one is kept. */
function PasswordInput(props: { field: FieldView; value: Draft; error: string | null; onChange: (v: Draft) => void; id: string; helpId: string; errId: string }) {
  const { t } = useI18n();
  const { field: f, value, error, id, helpId, errId } = props;
  // Whether a saved password is being replaced, so the user can go back to keeping it.
  const [hadSaved, setHadSaved] = useState(value === true);
  const saved = value === true;
  const describedBy = [helpId, error ? errId : null].filter(Boolean).join(" ");
  const help = [f.help, t("field.passwordKept")].filter(Boolean).join(" ");
  return (
    <div class={`field${error ? " has-error" : ""}`} data-testid={`password-${f.name}`}>
      <label for={id}>
        {f.label}
        {!f.required && <span class="muted small"> ({t("nodes.optional")})</span>}
      </label>
      {saved ? (
        <p class="password-saved">
          <span id={id} class="chip chip-ok">
            {t("field.passwordSaved")}
          </span>{" "}
          <button
            type="button"
            class="btn"
            aria-describedby={describedBy}
            onClick={() => {
              setHadSaved(true);
              props.onChange("");
            }}
          >
            {t("field.passwordReplace")}
          </button>
        </p>
      ) : (
        <p class="password-new">
          <input
            id={id}
            name={f.name}
            type="password"
            autoComplete="new-password"
            spellcheck={false}
            class="input-text"
            value={typeof value === "string" ? value : ""}
            onInput={(e) => props.onChange(e.currentTarget.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
          />
          {hadSaved && (
            <button type="button" class="btn" onClick={() => props.onChange(true)}>
              {t("field.passwordKeep")}
            </button>
          )}
        </p>
      )}
      <p class="help" id={helpId}>
        {help}
      </p>
      {error && (
        <p class="field-error" id={errId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function FieldInput(props: { field: FieldView; value: Draft; error: string | null; onChange: (v: Draft) => void; idPrefix: string }) {
  const { t } = useI18n();
  const { field: f, value, error } = props;
  const id = `${props.idPrefix}-${f.name}`;
  const helpId = `${id}-help`;
  const errId = `${id}-err`;
  const describedBy = [f.help || f.kind === "port" || f.default !== null ? helpId : null, error ? errId : null].filter(Boolean).join(" ") || undefined;
  const common = { id, name: f.name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy } as const;
  const help = [f.help, f.kind === "port" && !f.required ? t("nodes.portAuto") : null, f.default !== null && f.kind !== "bool" ? t("nodes.default", { value: String(f.default) }) : null]
    .filter(Boolean)
    .join(" ");

  if (f.kind === "password") return <PasswordInput field={f} value={value} error={error} onChange={props.onChange} id={id} helpId={helpId} errId={errId} />;
  let control;
  switch (f.kind) {
    case "bool":
      return (
        <div class={`field field-check${error ? " has-error" : ""}`}>
          <label for={id} class="check">
            <input {...common} type="checkbox" checked={value === true} onChange={(e) => props.onChange(e.currentTarget.checked)} />
            <span>{f.label}</span>
          </label>
          {help && <p class="help" id={helpId}>{help}</p>}
          {error && <p class="field-error" id={errId}>{error}</p>}
        </div>
      );
    case "choice":
      control = (
        <select {...common} value={typeof value === "string" ? value : ""} onChange={(e) => props.onChange(e.currentTarget.value)} required={f.required}>
          {(!f.required || value === "") && <option value="">{t("field.chooseOne")}</option>}
          {f.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      );
      break;
    case "integer":
    case "port":
      control = (
        <input
          {...common}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={typeof value === "string" ? value : ""}
          onInput={(e) => props.onChange(e.currentTarget.value)}
          required={f.required}
          class="input-num"
        />
      );
      break;
    default:
      control = (
        <input
          {...common}
          type="text"
          spellcheck={false}
          autoComplete="off"
          value={typeof value === "string" ? value : ""}
          onInput={(e) => props.onChange(e.currentTarget.value)}
          required={f.required}
          class={f.kind === "path" ? "input-path" : "input-text"}
        />
      );
  }
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>
        {f.label}
        {!f.required && <span class="muted small"> ({t("nodes.optional")})</span>}
        {f.kind === "integer" && f.min !== null && f.max !== null && <span class="muted small"> · {f.min}–{f.max}</span>}
      </label>
      {control}
      {help && <p class="help" id={helpId}>{help}</p>}
      {error && (
        <p class="field-error" id={errId}>
          {error}
        </p>
      )}
    </div>
  );
}
