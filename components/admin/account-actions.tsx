"use client";

import { adminGrantCredits } from "@/server/actions/admin-grant-credits";
import { adminRevokeCredits } from "@/server/actions/admin-revoke-credits";
import { adminSignOutUser } from "@/server/actions/admin-sign-out-user";
import { adminSuspendUser } from "@/server/actions/admin-suspend-user";
import { adminUnsuspendUser } from "@/server/actions/admin-unsuspend-user";

import { CommandForm, type AdminRun } from "./command-form";

export function AccountActions({ email, suspended }: { email: string; suspended: boolean }) {
  const target = { email };
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <CommandForm
        name="grant"
        label="Grant credits"
        run={adminGrantCredits as AdminRun}
        target={target}
        withCredits
        reason="required"
      />
      <CommandForm
        name="revoke"
        label="Revoke credits"
        run={adminRevokeCredits as AdminRun}
        target={target}
        withCredits
        reason="required"
      />
      {suspended ? (
        <CommandForm
          name="unsuspend"
          label="Lift the suspension"
          run={adminUnsuspendUser as AdminRun}
          target={target}
          reason="optional"
        />
      ) : (
        <CommandForm
          name="suspend"
          label="Suspend"
          run={adminSuspendUser as AdminRun}
          target={target}
          reason="required"
        />
      )}
      <CommandForm
        name="sign-out"
        label="Sign out everywhere"
        run={adminSignOutUser as AdminRun}
        target={target}
        reason="optional"
      />
    </div>
  );
}
