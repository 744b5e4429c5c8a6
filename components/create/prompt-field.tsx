"use client";

import { PROMPT_MAX } from "@/lib/domain";

/** A prompt textarea with a live count, the limit, and the shortcut that submits. */
export function PromptField({
  id,
  label,
  value,
  onChange,
  error,
  placeholder,
  max = PROMPT_MAX,
  rows = 4,
  autoFocus,
  shortcutHint = true,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  placeholder?: string;
  max?: number;
  rows?: number;
  autoFocus?: boolean;
  /** Whether to remind of Ctrl/Cmd+Enter under this field. */
  shortcutHint?: boolean;
}) {
  const over = value.length - max;
  const message =
    over > 0 ? `Too long by ${over.toLocaleString("en")} characters. Shorten it to submit.` : error;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <textarea
        id={id}
        name={id}
        rows={rows}
        value={value}
        placeholder={placeholder}
        autoFocus={autoFocus}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={`${id}-count${message ? ` ${id}-error` : ""}`}
        className="border-border bg-surface text-fg placeholder:text-muted aria-invalid:border-danger resize-y rounded-lg border px-3 py-2 text-sm leading-relaxed"
      />
      <div className="flex items-start justify-between gap-3 text-xs">
        {message ? (
          <p id={`${id}-error`} className="text-danger" role="alert">
            {message}
          </p>
        ) : !shortcutHint ? (
          <span />
        ) : (
          <p className="text-muted">
            <kbd className="font-sans">Ctrl</kbd>/<kbd className="font-sans">⌘</kbd> +{" "}
            <kbd className="font-sans">Enter</kbd> submits
          </p>
        )}
        <p
          id={`${id}-count`}
          className={`shrink-0 tabular-nums ${over > 0 ? "text-danger font-medium" : "text-muted"}`}
        >
          <span aria-hidden>
            {value.length.toLocaleString("en")} / {max.toLocaleString("en")}
          </span>
          <span className="sr-only">
            {value.length} of {max} characters
          </span>
        </p>
      </div>
    </div>
  );
}
