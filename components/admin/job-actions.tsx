"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { errorText, type ActionResult } from "@/lib/action-result";
import { adminFailJob } from "@/server/actions/admin-fail-job";
import { adminPollJob } from "@/server/actions/admin-poll-job";
import { adminRefundJob } from "@/server/actions/admin-refund-job";

type Run = (input: never) => Promise<ActionResult<unknown>>;

/** One form per job action; each calls its admin action, shows the answer and reloads on success. */
function JobForm({
  name,
  label,
  run,
  id,
  reason,
}: {
  name: string;
  label: string;
  run: Run;
  id: string;
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
          const result = await run({ ...fields, id } as never);
          setAnswer(result.ok ? "Done." : errorText(result.error));
          if (result.ok) window.location.reload();
        });
      }}
    >
      {reason ? (
        <Field
          id={`${name}-reason`}
          name="reason"
          label={reason === "required" ? "Reason" : "Reason (optional)"}
          required={reason === "required"}
          minLength={reason === "required" ? 3 : undefined}
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

export function JobActions({
  id,
  pollable,
  pastDeadline,
}: {
  id: string;
  pollable: boolean;
  pastDeadline: boolean;
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-3">
      {pollable ? <JobForm name="poll" label="Poll now" run={adminPollJob as Run} id={id} /> : null}
      {pastDeadline ? (
        <JobForm
          name="refund"
          label="Refund (past its deadline)"
          run={adminRefundJob as Run}
          id={id}
          reason="optional"
        />
      ) : null}
      <JobForm
        name="fail"
        label="Fail and refund (lost)"
        run={adminFailJob as Run}
        id={id}
        reason="required"
      />
    </div>
  );
}
