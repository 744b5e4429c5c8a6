import { CircleCheck, CircleX, Clock, LoaderCircle } from "lucide-react";

import type { GenerationStatus } from "@/lib/domain";

// `submitting` means credits are held and the provider has not accepted yet: to the user, queued.
const BADGES = {
  queued: { label: "Queued", icon: Clock, className: "bg-surface-2 text-muted", spin: false },
  processing: { label: "Processing", icon: LoaderCircle, className: "bg-accent/10 text-accent", spin: true },
  succeeded: { label: "Succeeded", icon: CircleCheck, className: "bg-success/10 text-success", spin: false },
  failed: { label: "Failed", icon: CircleX, className: "bg-danger/10 text-danger", spin: false },
} as const;

export const statusLabel = (status: GenerationStatus) =>
  BADGES[status === "submitting" ? "queued" : status].label;

export function StatusBadge({ status }: { status: GenerationStatus }) {
  const badge = BADGES[status === "submitting" ? "queued" : status];
  const Icon = badge.icon;
  return (
    <span
      data-testid="status-badge"
      className={`inline-flex h-6 items-center gap-1 rounded-full px-2 text-xs font-medium ${badge.className}`}
    >
      <Icon className={`size-3.5 ${badge.spin ? "motion-safe:animate-spin" : ""}`} aria-hidden />
      {badge.label}
    </span>
  );
}
