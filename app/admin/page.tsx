import type { Metadata } from "next";
import Link from "next/link";

import { BarChart } from "@/components/admin/bar-chart";
import { formatCredits } from "@/lib/format";
import { getOverview, parseWindow, WINDOWS } from "@/server/admin/overview";
import { requireAdminPage } from "@/server/admin/page-guard";

export const metadata: Metadata = { title: "Admin" };

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)} %`);
// Read from time buckets (1 s wide below 10 s, wider above): a tenth of a second below 10 s and
// whole seconds above are all they can tell.
const secs = (s: number | null) => (s === null ? "—" : `≈ ${s < 10 ? s.toFixed(1) : Math.round(s)} s`);
const usd = (v: number | null) => (v === null ? "not set" : `$${v.toFixed(2)}`);

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
          <Link href="/admin/jobs" className="underline">
            Jobs
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
        <BarChart
          title="Time to result, p95 (seconds, approximate)"
          rows={overview.resellers
            .filter((r) => r.p95Seconds !== null)
            .map((r) => ({ label: r.label, count: Math.round(r.p95Seconds! * 10) / 10 }))}
        />
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
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-medium">Resellers in this window</h2>
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th scope="col">Reseller</th>
              <th scope="col">Jobs</th>
              <th scope="col">Success rate</th>
              <th scope="col">Failovers in</th>
              <th scope="col">p50 time to result</th>
              <th scope="col">p95 time to result</th>
            </tr>
          </thead>
          <tbody>
            {overview.resellers.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.total}</td>
                <td>{percent(r.successRate)}</td>
                <td>{r.failovers}</td>
                <td>{secs(r.p50Seconds)}</td>
                <td>{secs(r.p95Seconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-muted text-sm">
          Times to result are counted in buckets, 1 s wide up to 10 s and then about a tenth to a fifth of the
          time; p50 and p95 are read from them, each within one bucket of the exact figure.
        </p>
      </section>
      <section className="flex flex-col gap-3">
        <h2 className="text-lg font-medium">Estimated reseller spend</h2>
        <p className="text-muted text-sm">
          Succeeded jobs times each reseller&apos;s unit price (PRICE_USD_* in the environment).
        </p>
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th scope="col">Reseller</th>
              <th scope="col">Succeeded jobs</th>
              <th scope="col">Unit price</th>
              <th scope="col">Estimated spend</th>
            </tr>
          </thead>
          <tbody>
            {overview.spend.map((r) => (
              <tr key={r.id}>
                <th scope="row">{r.label}</th>
                <td>{r.succeeded}</td>
                <td>{usd(r.unitUsd)}</td>
                <td>{usd(r.usd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
