"use client";

import type { Operation } from "@/lib/domain";
import type { StudioConfig } from "@/lib/dto";
import { providerReason, type Needs, type ProviderChoice } from "@/lib/provider-support";

/**
 * "Auto" or one reseller. A reseller that cannot serve the current settings stays listed, disabled,
 * with the reason in its label, so nothing is hidden.
 */
export function ProviderSelect({
  config,
  operation,
  value,
  onChange,
  needs,
  problem,
  note,
}: {
  config: StudioConfig;
  operation: Operation;
  value: ProviderChoice;
  onChange: (value: ProviderChoice) => void;
  needs: Needs;
  /** Why the current choice cannot serve the current settings, if so. */
  problem?: string;
  /** What was changed to fit the chosen provider, if anything. */
  note?: string;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor="provider" className="text-sm font-medium">
        Provider
      </label>
      <select
        id="provider"
        name="provider"
        value={value}
        onChange={(event) => onChange(event.target.value as ProviderChoice)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? "provider-problem" : "provider-hint"}
        className="border-border bg-surface text-fg aria-invalid:border-danger h-10 rounded-lg border px-3 text-sm"
      >
        <option value="auto">Auto (best available)</option>
        {config.providers.map((provider) => {
          // Only a missing operation (or a switched-off provider) disables an option; a setting it
          // lacks is named in its label and adjusted when it is picked.
          const blocked = providerReason(provider, operation, { images: needs.images });
          const reason = blocked ?? providerReason(provider, operation, needs);
          return (
            <option
              key={provider.id}
              value={provider.id}
              disabled={blocked !== undefined && value !== provider.id}
            >
              {reason ?? provider.label}
            </option>
          );
        })}
      </select>
      {problem ? (
        <p id="provider-problem" className="text-danger text-xs" role="alert">
          {problem}
        </p>
      ) : note ? (
        <p id="provider-hint" className="text-warning text-xs" role="status">
          {note}
        </p>
      ) : (
        <p id="provider-hint" className="text-muted text-xs">
          {value === "auto"
            ? "Auto sends the job to the first provider that takes these settings, and tries the next if one is down."
            : "Only this provider is used, even if it is busy."}
        </p>
      )}
    </div>
  );
}
