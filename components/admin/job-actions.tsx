"use client";

import { adminFailJob } from "@/server/actions/admin-fail-job";
import { adminPollJob } from "@/server/actions/admin-poll-job";
import { adminRefundJob } from "@/server/actions/admin-refund-job";

import { CommandForm, type AdminRun } from "./command-form";

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
      {pollable ? (
        <CommandForm name="poll" label="Poll now" run={adminPollJob as AdminRun} target={{ id }} />
      ) : null}
      {pastDeadline ? (
        <CommandForm
          name="refund"
          label="Refund (past its deadline)"
          run={adminRefundJob as AdminRun}
          target={{ id }}
          reason="optional"
        />
      ) : null}
      <CommandForm
        name="fail"
        label="Fail and refund (lost)"
        run={adminFailJob as AdminRun}
        target={{ id }}
        reason="required"
      />
    </div>
  );
}
