"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { errorText, type ActionResult } from "@/lib/action-result";
import { adminGrantCredits } from "@/server/actions/admin-grant-credits";
import { adminRevokeCredits } from "@/server/actions/admin-revoke-credits";
import { adminSignOutUser } from "@/server/actions/admin-sign-out-user";
import { adminSuspendUser } from "@/server/actions/admin-suspend-user";
import { adminUnsuspendUser } from "@/server/actions/admin-unsuspend-user";

type Run = (input: never) => Promise<ActionResult<unknown>>;

/** One small form per operator command; each calls the admin action and shows its answer. */
function CommandForm({
  name,
  label,
  run,
  email,
  withCredits = false,
  reasonRequired = false,
}: {
  name: string;
  label: string;
  run: Run;
  email: string;
  withCredits?: boolean;
  reasonRequired?: boolean;
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
          const result = await run({ ...fields, email } as never);
          setAnswer(result.ok ? "Done." : errorText(result.error));
          if (result.ok) window.location.reload();
        });
      }}
    >
      {withCredits ? (
        <Field id={`${name}-credits`} name="credits" label="Credits" type="number" min={1} required />
      ) : null}
      <Field id={`${name}-reason`} name="reason" label="Reason" required={reasonRequired} minLength={3} />
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

export function AccountActions({ email, suspended }: { email: string; suspended: boolean }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <CommandForm
        name="grant"
        label="Grant credits"
        run={adminGrantCredits as Run}
        email={email}
        withCredits
        reasonRequired
      />
      <CommandForm
        name="revoke"
        label="Revoke credits"
        run={adminRevokeCredits as Run}
        email={email}
        withCredits
        reasonRequired
      />
      {suspended ? (
        <CommandForm
          name="unsuspend"
          label="Lift the suspension"
          run={adminUnsuspendUser as Run}
          email={email}
        />
      ) : (
        <CommandForm
          name="suspend"
          label="Suspend"
          run={adminSuspendUser as Run}
          email={email}
          reasonRequired
        />
      )}
      <CommandForm name="sign-out" label="Sign out everywhere" run={adminSignOutUser as Run} email={email} />
    </div>
  );
}
