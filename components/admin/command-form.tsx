"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { errorText, type ActionResult } from "@/lib/action-result";

export type AdminRun = (input: never) => Promise<ActionResult<unknown>>;

/**
 * One small form per operator command: it sends its fields plus `target` (the account's email or
 * the job's id) to an admin action, shows the answer, and reloads the page on success.
 */
export function CommandForm({
  name,
  label,
  run,
  target,
  withCredits = false,
  reason,
}: {
  name: string;
  label: string;
  run: AdminRun;
  target: Record<string, string>;
  withCredits?: boolean;
  reason?: "required" | "optional";
}) {
  const [pending, start] = useTransition();
  const [answer, setAnswer] = useState<string | null>(null);
  return (
    <form
      className="border-border flex flex-col gap-2 rounded-xl border p-4"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        const fields = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
        start(async () => {
          const result = await run({ ...fields, ...target } as never);
          setAnswer(result.ok ? "Done." : errorText(result.error));
          if (result.ok) window.location.reload();
        });
      }}
    >
      {withCredits ? (
        <Field id={`${name}-credits`} name="credits" label="Credits" type="number" min={1} required />
      ) : null}
      {reason ? (
        <Field
          id={`${name}-reason`}
          name="reason"
          label={reason === "required" ? "Reason" : "Reason (optional)"}
          required={reason === "required"}
          minLength={3}
        />
      ) : null}
      <Button type="submit" disabled={pending} variant="secondary">
        {label}
      </Button>
      {answer ? (
        <p role="status" className="text-sm">
          {answer}
        </p>
      ) : null}
    </form>
  );
}
