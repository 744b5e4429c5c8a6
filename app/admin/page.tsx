import type { Metadata } from "next";
import Link from "next/link";

import { BarChart } from "@/components/admin/bar-chart";
import { formatCredits } from "@/lib/format";
import { getOverview, parseWindow, WINDOWS } from "@/server/admin/overview";
import { requireAdminPage } from "@/server/admin/page-guard";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminOverviewPage({
  searchParams,
}: {
  searchParams: Promise<{ window?: string }>;
}) {
  await requireAdminPage();
  const overview = await getOverview(parseWindow((await searchParams).window));
  const { credits } = overview;
  return (
    <div className="flex flex-col gap-8">
      <section className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Overview</h1>
          <p className="text-muted text-sm">
            Since {overview.since.toISOString().slice(0, 16).replace("T", " ")} UTC
          </p>
        </div>
        <nav aria-label="Window" className="flex gap-3 text-sm">
          {Object.keys(WINDOWS).map((w) => (
            <Link
              key={w}
              href={`/admin?window=${w}`}
              aria-current={w === overview.window ? "page" : undefined}
              className="underline-offset-4 aria-[current=page]:font-semibold aria-[current=page]:underline"
            >
              {w}
            </Link>
          ))}
          <Link href="/admin/users" className="underline">
            Users
          </Link>
          <Link href="/admin/resellers" className="underline">
            Resellers
          </Link>
          <Link href="/admin/audit" className="underline">
            Audit log
          </Link>
        </nav>
      </section>
      <section className="grid gap-8 md:grid-cols-2">
        <BarChart title="Jobs by state" rows={overview.jobsByState} />
        <BarChart title="Jobs by reseller" rows={overview.jobsByReseller} />
        <BarChart title="Sign-ups per day" rows={overview.signupsPerDay} />
        <dl aria-label="Credits" className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
          <dt>Granted</dt>
          <dd>{formatCredits(credits.granted)}</dd>
          <dt>Bought</dt>
          <dd>{formatCredits(credits.bought)}</dd>
          <dt>Held for jobs</dt>
          <dd>{formatCredits(credits.held)}</dd>
          <dt>Refunded</dt>
          <dd>{formatCredits(credits.refunded)}</dd>
          <dt>Spent</dt>
          <dd>{formatCredits(credits.spent)}</dd>
        </dl>
      </section>
    </div>
  );
}
