import type { Metadata } from "next";

import { ResellerActions } from "@/components/admin/reseller-actions";
import { requireAdminPage } from "@/server/admin/page-guard";
import { resellersForAdmin } from "@/server/admin/resellers";

export const metadata: Metadata = { title: "Resellers · Admin" };

const percent = (rate: number | null) => (rate === null ? "no jobs" : `${Math.round(rate * 100)} %`);
const seconds = (s: number | null) => (s === null ? "—" : `${s.toFixed(1)} s`);

export default async function AdminResellersPage() {
  await requireAdminPage();
  const resellers = await resellersForAdmin();
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Resellers</h1>
      <p className="text-muted text-sm">
        Switches are stored in the database; this instance follows a change at once, every other within 2 s.
        Figures cover the last hour. The circuit state is this instance&apos;s.
      </p>
      <ul className="flex flex-col gap-4">
        {resellers.map((r) => (
          <li key={r.id} className="border-border flex flex-col gap-3 rounded-xl border p-4">
            <h2 className="text-lg font-medium">{r.label}</h2>
            <dl
              aria-label={`${r.label} health`}
              className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4"
            >
              <dt>Routing</dt>
              <dd>{r.switchedOn ? "Enabled" : "Disabled"}</dd>
              <dt>Configured</dt>
              <dd>{r.configured ? "Yes" : "No (environment)"}</dd>
              <dt>Place in Auto</dt>
              <dd>
                {r.priority === null ? `${r.autoPlace} (default)` : `${r.autoPlace} (priority ${r.priority})`}
              </dd>
              <dt>Circuit</dt>
              <dd>{r.circuitOpen ? "Open: tried last" : "Closed"}</dd>
              <dt>Success rate</dt>
              <dd>
                {percent(r.recent.successRate)} ({r.recent.succeeded} ok, {r.recent.failed} failed)
              </dd>
              <dt>Median time to result</dt>
              <dd>{seconds(r.recent.p50Seconds)}</dd>
              <dt>Calls this minute</dt>
              <dd>
                {r.callsThisMinute
                  ? `${r.callsThisMinute.used} of ${r.callsThisMinute.limit}`
                  : "no limit set"}
              </dd>
              <dt>Last error</dt>
              <dd>
                {r.lastError
                  ? `${r.lastError.code ?? "error"}: ${r.lastError.message ?? ""} (${r.lastError.at
                      .toISOString()
                      .slice(11, 16)} UTC)`
                  : "None"}
              </dd>
            </dl>
            <ResellerActions id={r.id} label={r.label} switchedOn={r.switchedOn} priority={r.priority} />
          </li>
        ))}
      </ul>
    </div>
  );
}
