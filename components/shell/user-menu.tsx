"use client";

import { LogOut, User } from "lucide-react";
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";

export function UserMenu({ name, email }: { name: string | null; email: string | null }) {
  const label = name || email || "Account";
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === "Escape"
          : !root.current?.contains(event.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Account menu for ${label}`}
        onClick={() => setOpen((v) => !v)}
        className="border-border bg-surface-2 flex size-9 items-center justify-center rounded-full border text-sm font-semibold uppercase"
      >
        {label.slice(0, 1)}
      </button>
      {open ? (
        <div
          id={menuId}
          className="border-border bg-surface absolute right-0 z-20 mt-2 w-60 rounded-xl border p-2 shadow-lg"
        >
          <div className="px-3 py-2">
            {name ? <p className="truncate text-sm font-medium">{name}</p> : null}
            {email ? (
              <p className="text-muted truncate text-sm" data-testid="user-email">
                {email}
              </p>
            ) : null}
          </div>
          <Link
            href="/account"
            onClick={() => setOpen(false)}
            className="hover:bg-surface-2 flex items-center gap-2 rounded-lg px-3 py-2 text-sm"
          >
            <User className="size-4" aria-hidden /> Account
          </Link>
          {/* A route handler: it clears the cookie and sends Clear-Site-Data with its redirect. */}
          <form action="/api/session/end" method="post">
            <button
              type="submit"
              className="hover:bg-surface-2 flex w-full items-center gap-2 rounded-lg px-3 py-2 text-left text-sm"
            >
              <LogOut className="size-4" aria-hidden /> Sign out
            </button>
          </form>
        </div>
      ) : null}
    </div>
  );
}
