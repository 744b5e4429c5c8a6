"use client";

import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { errorText } from "@/lib/action-result";
import { adminSetResellerPriority } from "@/server/actions/admin-set-reseller-priority";
import { adminSwitchReseller } from "@/server/actions/admin-switch-reseller";

/** A reseller's two run-time switches: on or off, and its place in Auto's order. */
export function ResellerActions({
  id,
  label,
  switchedOn,
  priority,
}: {
  id: string;
  label: string;
  switchedOn: boolean;
  priority: number | null;
}) {
  const [pending, start] = useTransition();
  const [answer, setAnswer] = useState<string | null>(null);
  const run = (call: () => ReturnType<typeof adminSwitchReseller>) =>
    start(async () => {
      const result = await call();
      setAnswer(result.ok ? "Saved." : errorText(result.error));
      if (result.ok) window.location.reload();
    });
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Button
        type="button"
        variant="secondary"
        disabled={pending}
        onClick={() =>
          run(() => adminSwitchReseller({ reseller: id, enabled: switchedOn ? "off" : "on" } as never))
        }
      >
        {switchedOn ? `Disable ${label}` : `Enable ${label}`}
      </Button>
      <form
        aria-label={`Priority of ${label}`}
        className="flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          const priority = String(new FormData(event.currentTarget).get("priority") ?? "");
          run(() => adminSetResellerPriority({ reseller: id, priority } as never));
        }}
      >
        <Field
          id={`priority-${id}`}
          name="priority"
          label="Priority (1 first, empty: default)"
          type="number"
          min={1}
          max={99}
          defaultValue={priority ?? ""}
          className="border-border bg-surface text-fg h-10 w-24 rounded-lg border px-3 text-sm"
        />
        <Button type="submit" variant="secondary" disabled={pending}>
          Save priority
        </Button>
      </form>
      {answer ? (
        <p role="status" className="text-sm">
          {answer}
        </p>
      ) : null}
    </div>
  );
}
