import type { Metadata } from "next";
import Link from "next/link";

import { GENERATION_STATUSES, PROVIDER_IDS, PROVIDER_LABELS } from "@/lib/domain";
import { jobFilterSchema, listJobs } from "@/server/admin/jobs";
import { requireAdminPage } from "@/server/admin/page-guard";

export const metadata: Metadata = { title: "Jobs · Admin" };

type Params = Record<string, string | string[] | undefined>;

const FIELDS = ["state", "reseller", "user", "since", "until", "error"] as const;
const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
const inputClass = "border-border bg-surface h-10 rounded-lg border px-3 text-sm";

export default async function AdminJobsPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requireAdminPage();
  const raw = Object.fromEntries(
    Object.entries(await searchParams).map(([k, v]) => [
      k,
      String(Array.isArray(v) ? v[0] : (v ?? "")).slice(0, 200),
    ]),
  );
  const parsed = jobFilterSchema.safeParse(raw);
  const page = parsed.success ? await listJobs(parsed.data) : { items: [], nextCursor: null };
  const kept = new URLSearchParams(FIELDS.flatMap((f) => (raw[f] ? [[f, raw[f]]] : [])));
  if (page.nextCursor) kept.set("cursor", page.nextCursor);
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-2xl font-semibold">Jobs</h1>
      <form role="search" aria-label="Filter jobs" className="grid gap-3 sm:grid-cols-3">
        <Select
          name="state"
          label="State"
          value={raw.state}
          options={GENERATION_STATUSES.map((s) => [s, s])}
        />
        <Select
          name="reseller"
          label="Reseller"
          value={raw.reseller}
          options={PROVIDER_IDS.map((p) => [p, PROVIDER_LABELS[p]])}
        />
        <Text name="user" label="User email or id" value={raw.user} />
        <Text name="since" label="Since (UTC)" value={raw.since} placeholder="2026-12-01" />
        <Text name="until" label="Until (UTC)" value={raw.until} placeholder="2026-12-02T12:00" />
        <Text name="error" label="Error code" value={raw.error} placeholder="provider_error" />
        <button type="submit" className="border-border h-10 rounded-lg border px-4 text-sm sm:col-start-3">
          Filter
        </button>
      </form>
      {parsed.success ? null : (
        <p role="alert" className="text-danger text-sm">
          {parsed.error.issues[0]?.message.replace(/^--/, "")}
        </p>
      )}
      {page.items.length === 0 ? (
        <p className="text-muted text-sm">No job matches.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th scope="col">Created (UTC)</th>
              <th scope="col">User</th>
              <th scope="col">Operation</th>
              <th scope="col">State</th>
              <th scope="col">Reseller</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((job) => (
              <tr key={job.id}>
                <td>
                  <Link href={`/admin/jobs/${job.id}`} className="underline">
                    {when(job.createdAt)}
                  </Link>
                </td>
                <td>{job.email ?? job.userId}</td>
                <td>{job.kind}</td>
                <td>{job.deletedAt ? `${job.status} (deleted)` : job.status}</td>
                <td>{job.provider ?? ""}</td>
                <td>{job.errorCode ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor ? (
        <Link href={`/admin/jobs?${kept.toString()}`} className="self-start underline">
          Older jobs
        </Link>
      ) : null}
    </div>
  );
}

function Text({
  name,
  label,
  value,
  placeholder,
}: {
  name: string;
  label: string;
  value?: string;
  placeholder?: string;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={`jobs-${name}`} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={`jobs-${name}`}
        name={name}
        defaultValue={value}
        placeholder={placeholder}
        className={inputClass}
      />
    </div>
  );
}

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value?: string;
  options: (readonly [string, string])[];
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={`jobs-${name}`} className="text-sm font-medium">
        {label}
      </label>
      <select id={`jobs-${name}`} name={name} defaultValue={value ?? ""} className={inputClass}>
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
