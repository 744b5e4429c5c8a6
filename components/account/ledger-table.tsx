import Link from "next/link";

import { LocalTime } from "@/components/ui/local-time";

const REASON_LABELS: Record<string, string> = {
  signup_grant: "Welcome credits",
  grant: "Grant",
  hold: "Held for a job",
  refund: "Refund",
  adjustment: "Adjustment",
  purchase: "Bought",
  voucher: "Voucher",
};

export interface LedgerRow {
  id: string;
  amount: number;
  balanceAfter: number;
  reason: string;
  generationId: string | null;
  note: string | null;
  createdAt: Date;
}

export function LedgerTable({ rows }: { rows: LedgerRow[] }) {
  if (rows.length === 0) return <p className="text-muted text-sm">No credit movements yet.</p>;
  return (
    <div className="border-border overflow-x-auto rounded-xl border">
      <table className="w-full text-sm" data-testid="ledger">
        <thead className="bg-surface-2 text-muted text-left">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              When
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              What
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Credits
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              Balance
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-border border-t">
              <td className="text-muted px-3 py-2 sm:whitespace-nowrap">
                <LocalTime iso={row.createdAt.toISOString()} />
              </td>
              <td className="px-3 py-2">
                {REASON_LABELS[row.reason] ?? row.reason}
                {row.generationId ? (
                  <>
                    {" · "}
                    <Link
                      href={`/gallery/${row.generationId}`}
                      className="text-accent underline underline-offset-4"
                    >
                      view job
                    </Link>
                  </>
                ) : null}
              </td>
              <td
                className={`px-3 py-2 text-right tabular-nums ${row.amount < 0 ? "text-fg" : "text-success"}`}
              >
                {row.amount > 0 ? `+${row.amount}` : row.amount}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{row.balanceAfter}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
