import { DoneWhileAway } from "@/components/jobs/done-while-away";
import type { Operation } from "@/lib/domain";

import { ModeSwitch } from "./mode-switch";

/** The frame of the create, edit and remix pages: the switch, the form, then the work. */
export function StudioLayout({
  mode,
  title,
  intro,
  form,
  children,
}: {
  mode: Operation;
  title: string;
  intro: string;
  form: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{title}</h1>
          <p className="text-muted text-sm">{intro}</p>
        </div>
        <ModeSwitch active={mode} />
      </div>
      <div className="grid grid-cols-1 items-start gap-8 lg:grid-cols-[minmax(0,400px)_minmax(0,1fr)]">
        <section aria-label="Settings" className="border-border bg-surface rounded-2xl border p-4 sm:p-5">
          {form}
        </section>
        <div className="flex min-w-0 flex-col gap-8">
          <DoneWhileAway />
          {children}
        </div>
      </div>
    </div>
  );
}
