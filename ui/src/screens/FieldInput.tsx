// One node field as a form control, with its label, help and inline error.
import type { FieldView } from "../bindings";
import { useI18n } from "../i18n";
import type { Draft } from "../lib/validate";

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
