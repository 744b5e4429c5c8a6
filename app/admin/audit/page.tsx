import type { Metadata } from "next";
import Link from "next/link";

import { listAuditForAdmin } from "@/server/admin/audit-page";
import { requireAdminPage } from "@/server/admin/page-guard";

export const metadata: Metadata = { title: "Audit log · Admin" };

const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");

export default async function AdminAuditPage() {
  await requireAdminPage();
  const rows = await listAuditForAdmin();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <p className="text-muted text-sm">
        The latest 200 operator actions, newest first. Rows are never changed.
      </p>
      <table className="w-full text-left text-sm">
        <thead>
          <tr>
            <th scope="col">When (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Account</th>
            <th scope="col">Before → after</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <td>{when(row.createdAt)}</td>
              <td>{row.actor}</td>
              <td>{row.action}</td>
              <td>
                {row.targetUserId ? (
                  <Link href={`/admin/users/${row.targetUserId}`} className="underline">
                    {row.targetUserId}
                  </Link>
                ) : null}
              </td>
              <td>
                <code>{JSON.stringify(row.before ?? null)}</code> →{" "}
                <code>{JSON.stringify(row.after ?? null)}</code>
              </td>
              <td>{row.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
