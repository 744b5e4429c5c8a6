import { Sparkles } from "lucide-react";
import Link from "next/link";

import type { AccountDto } from "@/lib/dto";
import type { Theme } from "@/lib/theme";

import { CreditBalance } from "./credit-balance";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

export function AppShell({
  me,
  theme,
  children,
}: {
  me: AccountDto;
  theme: Theme;
  children: React.ReactNode;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="focus:bg-surface sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-lg focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      {/* Opaque, not blurred: a backdrop blur is redrawn on every frame of a scroll beneath it. */}
      <header className="border-border bg-bg sticky top-0 z-10 border-b">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-3 sm:gap-4 sm:px-6">
          <Link href="/create" className="flex items-center gap-2 font-semibold">
            <Sparkles className="text-accent size-5" aria-hidden />
            <span className="max-sm:sr-only">Reve Studio</span>
          </Link>
          <NavLinks />
          <div className="ml-auto flex items-center gap-1 sm:gap-2">
            <CreditBalance initial={me} />
            <ThemeToggle initial={theme} />
            <UserMenu name={me.name} email={me.email} />
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-3 py-6 sm:px-6">
        {children}
      </main>
    </div>
  );
}
