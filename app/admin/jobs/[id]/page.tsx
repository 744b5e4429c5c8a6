import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { JobActions } from "@/components/admin/job-actions";
import { isTerminal } from "@/lib/domain";
import { getJobForAdmin } from "@/server/admin/jobs";
import { requireAdminPage } from "@/server/admin/page-guard";

export const metadata: Metadata = { title: "Job · Admin" };

const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 19).replace("T", " ")} UTC` : "—");

const EVENT_LABELS: Record<string, string> = {
  submitted: "Submitted",
  accepted: "Accepted by the reseller",
  failover: "Moved on to the next reseller",
  poll: "Polled",
  webhook: "Webhook received",
  succeeded: "Succeeded",
  failed: "Failed",
  refunded: "Refunded",
  operator_poll: "Polled by an operator",
  operator_refund: "Refunded by an operator (past its deadline)",
  operator_fail: "Failed by an operator (lost)",
};

export default async function AdminJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminPage();
  const found = await getJobForAdmin((await params).id);
  if (!found) notFound();
  const { job, events, answers, ledger } = found;
  const active = !isTerminal(job.status);
  return (
    <div className="flex flex-col gap-8">
      <section>
        <p className="text-sm">
          <Link href="/admin/jobs" className="underline">
            Jobs
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Job {job.id}</h1>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 text-sm">
          <dt>User</dt>
          <dd>
            <Link href={`/admin/users/${job.userId}`} className="underline">
              {job.email ?? job.userId}
            </Link>
          </dd>
          <dt>Operation</dt>
          <dd>{job.kind}</dd>
          <dt>State</dt>
          <dd>{job.deletedAt ? `${job.status} (deleted by its owner)` : job.status}</dd>
          <dt>Reseller</dt>
          <dd>
            {job.provider ?? "none"} (asked for {job.requestedProvider}; tried{" "}
            {job.attemptedProviders.join(", ") || "none"})
          </dd>
          <dt>Reseller job id</dt>
          <dd>{job.providerJobId ?? "none"}</dd>
          <dt>Error</dt>
          <dd>{job.errorCode ? `${job.errorCode}: ${job.errorMessage ?? ""}` : "none"}</dd>
          <dt>Created</dt>
          <dd>{when(job.createdAt)}</dd>
          <dt>Deadline</dt>
          <dd>{when(job.deadlineAt)}</dd>
          <dt>Finished</dt>
          <dd>{when(job.completedAt)}</dd>
          <dt>Polls</dt>
          <dd>
            {job.pollAttempts}, last {when(job.lastPolledAt)}
            {active ? `, next ${when(job.nextPollAt)}` : ""}
          </dd>
          {job.mayHaveBilledBy ? (
            <>
              <dt>May have billed</dt>
              <dd>{job.mayHaveBilledBy}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {active ? (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading" className="mb-3 text-lg font-semibold">
            Actions
          </h2>
          <JobActions
            id={job.id}
            pollable={job.status === "queued" || job.status === "processing"}
            pastDeadline={job.pastDeadline}
          />
        </section>
      ) : null}
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="mb-2 text-lg font-semibold">
          Timeline
        </h2>
        {events.length === 0 ? (
          <p className="text-muted text-sm">No events recorded (the job predates the timeline).</p>
        ) : (
          <ol className="flex flex-col gap-1 text-sm">
            {events.map((e) => (
              <li key={e.id}>
                <span className="font-mono">{when(e.createdAt)}</span> {EVENT_LABELS[e.kind] ?? e.kind}
                {e.provider ? ` (${e.provider})` : ""}
                {e.detail ? `: ${e.detail}` : ""}
                {e.count > 1 ? `, ${e.count} times, last at ${when(e.lastAt)}` : ""}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section aria-labelledby="answers-heading">
        <h2 id="answers-heading" className="mb-2 text-lg font-semibold">
          Last raw reseller answers
        </h2>
        <p className="text-muted mb-2 text-sm">Newest first; keys, tokens and signed URLs are redacted.</p>
        {answers.length === 0 ? (
          <p className="text-muted text-sm">None kept.</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {answers.map((a, i) => (
              <li key={i} className="text-sm">
                <p>
                  {when(a.receivedAt)}: {a.provider} {a.operation}
                  {a.httpStatus ? `, HTTP ${a.httpStatus}` : ""}
                </p>
                <pre
                  tabIndex={0}
                  aria-label={`Answer ${i + 1}`}
                  className="bg-surface border-border overflow-x-auto rounded-lg border p-2 text-xs whitespace-pre-wrap"
                >
                  {a.body}
                </pre>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="credits-heading">
        <h2 id="credits-heading" className="mb-2 text-lg font-semibold">
          Credits
        </h2>
        {ledger.length === 0 ? (
          <p className="text-muted text-sm">No ledger rows.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Movement</th>
                <th scope="col">Amount</th>
                <th scope="col">Balance after</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {ledger.map((l) => (
                <tr key={l.id}>
                  <td>{when(l.createdAt)}</td>
                  <td>{l.reason}</td>
                  <td>{l.amount}</td>
                  <td>{l.balanceAfter}</td>
                  <td>{l.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
