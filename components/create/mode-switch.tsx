import { Blend, Pencil, WandSparkles } from "lucide-react";
import Link from "next/link";

import type { Operation } from "@/lib/domain";

const MODES = [
  { mode: "create", href: "/create", label: "Create", icon: WandSparkles },
  { mode: "edit", href: "/create/edit", label: "Edit", icon: Pencil },
  { mode: "remix", href: "/create/remix", label: "Remix", icon: Blend },
] as const;

/** Create / Edit / Remix: three pages, one switch. */
export function ModeSwitch({ active }: { active: Operation }) {
  return (
    <nav aria-label="Mode" className="border-border bg-surface-2 inline-flex rounded-xl border p-1">
      {MODES.map(({ mode, href, label, icon: Icon }) => (
        <Link
          key={mode}
          href={href}
          aria-current={mode === active ? "page" : undefined}
          className="text-muted hover:text-fg aria-[current=page]:bg-surface aria-[current=page]:text-fg flex h-9 items-center gap-2 rounded-lg px-3 text-sm font-medium transition aria-[current=page]:shadow-sm sm:px-4"
        >
          <Icon className="size-4" aria-hidden />
          {label}
        </Link>
      ))}
    </nav>
  );
}
