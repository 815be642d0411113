/** The few building blocks every screen uses (after GOV.UK's components). */
import type { ButtonHTMLAttributes, ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";
import { errorText, type ErrorContext } from "../lib/errors";

export function PageTitle({ children }: { children: ComponentChildren }) {
  return <h1 id="page-title" tabIndex={-1}>{children}</h1>;
}

type ButtonProps = Omit<ButtonHTMLAttributes, "type"> & {
  variant?: "primary" | "secondary" | "warning";
  big?: boolean;
  inline?: boolean;
  type?: "button" | "submit";
  disabled?: boolean;
};

export function Button({ variant = "primary", big, inline, type = "button", class: cls, ...rest }: ButtonProps) {
  const classes = ["button", variant !== "primary" && variant, big && "big", inline && "inline", cls].filter(Boolean).join(" ");
  return <button type={type} class={classes} {...rest} />;
}

export function LinkButton({ href, children, variant = "primary", big }: { href: string; children: ComponentChildren; variant?: "primary" | "secondary"; big?: boolean }) {
  const classes = ["button", variant === "secondary" && "secondary", big && "big"].filter(Boolean).join(" ");
  return <a href={href} role="button" class={classes} draggable={false}>{children}</a>;
}

export interface SummaryItem {
  field?: string;
  text: string;
}

/** The box at the top of a form listing what is wrong, each linked to its field; takes focus. */
export function ErrorSummary({ items, title }: { items: SummaryItem[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = items.map((i) => i.text).join("|");
  useEffect(() => {
    if (items.length) ref.current?.focus();
  }, [key]);
  if (!items.length) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title ?? t("app.errorTitle")}</h2>
      <ul>
        {items.map((item) => (
          <li key={item.text + (item.field ?? "")}>
            {item.field ? <a href={`#${item.field}`} data-external onClick={(e) => {
              e.preventDefault();
              document.getElementById(item.field!)?.focus();
            }}>{item.text}</a> : <p>{item.text}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldShell {
  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  children: ComponentChildren;
}

function Field({ id, label, hint, error, children }: FieldShell) {
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      {hint && <span class="hint" id={`${id}-hint`}>{hint}</span>}
      {error && <span class="error-message" id={`${id}-error`}><span class="visually-hidden">{t("form.errorPrefix")} </span>{error}</span>}
      {children}
    </div>
  );
}

function describedBy(id: string, hint?: unknown, error?: string) {
  return [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
}

type InputProps = {
  inputMode?: "numeric" | "text" | "decimal";
  autoComplete?: string;
  spellcheck?: boolean;
  maxLength?: number;
  min?: string;
  max?: string;

  id: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  error?: string;
  value: string;
  onValue: (v: string) => void;
  type?: string;
  widthClass?: string;
};

export function TextField({ id, label, hint, error, value, onValue, type = "text", widthClass, ...rest }: InputProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <input id={id} name={id} type={type as "text"} class={widthClass} {...rest} value={value} aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, hint, error)} onInput={(e) => onValue((e.target as HTMLInputElement).value)} />
    </Field>
  );
}

export function TextArea({ id, label, hint, error, value, onValue, rows = 4, maxLength }: {
  id: string; label: ComponentChildren; hint?: ComponentChildren; error?: string; value: string; onValue: (v: string) => void; rows?: number; maxLength?: number;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <textarea id={id} name={id} rows={rows} maxLength={maxLength} value={value} aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, hint, error)} onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)} />
    </Field>
  );
}

export function Select({ id, label, hint, error, value, onValue, options }: {
  id: string; label: ComponentChildren; hint?: ComponentChildren; error?: string; value: string; onValue: (v: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <select id={id} name={id} value={value} aria-invalid={error ? "true" : undefined} aria-describedby={describedBy(id, hint, error)}
        onChange={(e) => onValue((e.target as HTMLSelectElement).value)}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </Field>
  );
}

export function Radios({ id, legend, hint, error, value, onValue, options }: {
  id: string; legend: ComponentChildren; hint?: ComponentChildren; error?: string; value: string; onValue: (v: string) => void;
  options: { value: string; label: string }[];
}) {
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <fieldset aria-describedby={describedBy(id, hint, error)}>
        <legend>{legend}</legend>
        {hint && <span class="hint" id={`${id}-hint`}>{hint}</span>}
        {error && <span class="error-message" id={`${id}-error`}><span class="visually-hidden">{t("form.errorPrefix")} </span>{error}</span>}
        <div class="radios">
          {options.map((o, i) => (
            <label class="radio" key={o.value}>
              <input type="radio" name={id} id={i === 0 ? id : `${id}-${o.value}`} value={o.value} checked={value === o.value}
                onChange={() => onValue(o.value)} />
              {o.label}
            </label>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Tag({ colour = "blue", children }: { colour?: "blue" | "green" | "red" | "yellow" | "grey" | "orange" | "purple"; children: ComponentChildren }) {
  return <strong class={`tag ${colour}`}>{children}</strong>;
}

export function Summary({ rows }: { rows: [ComponentChildren, ComponentChildren][] }) {
  return (
    <dl class="summary">
      {rows.map(([k, v], i) => <div key={i}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  );
}

export function Loading() {
  return <p class="muted" role="status">{t("app.loading")}</p>;
}

/** A failed load: the reason in words and a way to try again. */
export function LoadError({ error, retry, ctx }: { error: unknown; retry?: () => void; ctx?: ErrorContext }) {
  return (
    <div class="notice bad" role="alert">
      <p>{errorText(error, ctx)}</p>
      {retry && <Button variant="secondary" inline onClick={retry}>{t("app.retry")}</Button>}
    </div>
  );
}

export function Notice({ kind = "info", children, role }: { kind?: "info" | "ok" | "bad"; children: ComponentChildren; role?: "status" | "alert" }) {
  return <div class={`notice ${kind === "info" ? "" : kind}`} role={role}>{children}</div>;
}

export function Warning({ children }: { children: ComponentChildren }) {
  return <p class="warning-text">{children}</p>;
}

export function Panel({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { ref.current?.focus(); }, [title]);
  return (
    <div class="panel" tabIndex={-1} ref={ref} role="status">
      <h2>{title}</h2>
      {children}
    </div>
  );
}
