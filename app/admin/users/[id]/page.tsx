import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { AccountActions } from "@/components/admin/account-actions";
import { formatCredits } from "@/lib/format";
import { requireAdminPage } from "@/server/admin/page-guard";
import { getUserForAdmin } from "@/server/admin/users";

export const metadata: Metadata = { title: "User · Admin" };

const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

export default async function AdminUserPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdminPage();
  const found = await getUserForAdmin((await params).id);
  if (!found) notFound();
  const { user, ledger, jobs, audit } = found;
  return (
    <div className="flex flex-col gap-8">
      <section>
        <h1 className="text-2xl font-semibold">{user.email ?? user.id}</h1>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 text-sm">
          <dt>Id</dt>
          <dd>{user.id}</dd>
          <dt>Balance</dt>
          <dd>{formatCredits(user.credits)}</dd>
          <dt>Role</dt>
          <dd>{user.role}</dd>
          <dt>Signed up</dt>
          <dd>
            {when(user.createdAt)} UTC from {user.signupIp ?? "an unknown address"}
          </dd>
          <dt>Suspended</dt>
          <dd>
            {user.suspendedAt ? `since ${when(user.suspendedAt)} UTC: ${user.suspendReason ?? ""}` : "no"}
          </dd>
        </dl>
      </section>
      {user.email ? (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading" className="mb-3 text-lg font-semibold">
            Actions
          </h2>
          <AccountActions email={user.email} suspended={user.suspendedAt !== null} />
        </section>
      ) : null}
      <Table
        title="Jobs"
        head={["Created", "Operation", "State", "Reseller", "Error", "Cost"]}
        rows={jobs.map((j) => [
          when(j.createdAt),
          j.kind,
          j.deletedAt ? `${j.status} (deleted)` : j.status,
          j.provider ?? "",
          j.errorCode ?? "",
          String(j.cost),
        ])}
      />
      <Table
        title="Ledger"
        head={["When", "Amount", "Balance after", "Reason", "Note"]}
        rows={ledger.map((l) => [
          when(l.createdAt),
          String(l.amount),
          String(l.balanceAfter),
          l.reason,
          l.note ?? "",
        ])}
      />
      <Table
        title="Audit log"
        head={["When", "Who", "What", "Reason"]}
        rows={audit.map((a) => [when(a.createdAt), a.actor, a.action, a.reason ?? ""])}
      />
    </div>
  );
}

function Table({ title, head, rows }: { title: string; head: string[]; rows: string[][] }) {
  return (
    <section>
      <h2 className="mb-2 text-lg font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-muted text-sm">None.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
