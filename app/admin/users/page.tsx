import type { Metadata } from "next";
import Link from "next/link";

import { formatCredits } from "@/lib/format";
import { requireAdminPage } from "@/server/admin/page-guard";
import { searchUsers } from "@/server/admin/users";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requireAdminPage();
  const q = String((await searchParams).q ?? "").slice(0, 200);
  const users = await searchUsers(q);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Users</h1>
      <form role="search" className="flex gap-2">
        <label htmlFor="q" className="sr-only">
          Email or id
        </label>
        <input
          id="q"
          name="q"
          defaultValue={q}
          placeholder="Email or id"
          className="border-border bg-surface h-10 flex-1 rounded-lg border px-3 text-sm"
        />
        <button type="submit" className="border-border h-10 rounded-lg border px-4 text-sm">
          Search
        </button>
      </form>
      <table className="w-full text-left text-sm">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Balance</th>
            <th scope="col">Role</th>
            <th scope="col">Signed up</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                <Link href={`/admin/users/${u.id}`} className="underline">
                  {u.email ?? u.id}
                </Link>
                {u.suspendedAt ? " (suspended)" : ""}
              </td>
              <td>{formatCredits(u.credits)}</td>
              <td>{u.role}</td>
              <td>{u.createdAt.toISOString().slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {users.length === 0 ? <p className="text-muted text-sm">No account matches.</p> : null}
    </div>
  );
}
