"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormAlert } from "@/components/ui/form-alert";
import { useHydrated } from "@/hooks/use-hydrated";
import { deleteAccount } from "@/server/actions/delete-account";

/**
 * Deletes the account after the user types its email (or "delete" when it has none), then forgets
 * everything cached for it and goes to sign-in.
 */
export function DeleteAccount({ email }: { email: string | null }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const client = useQueryClient();
  const expected = (email ?? "delete").trim().toLowerCase();
  const matches = typed.trim().toLowerCase() === expected;

  function close() {
    setOpen(false);
    setTyped("");
    setError(undefined);
  }

  function confirm(event: React.FormEvent) {
    event.preventDefault();
    if (!matches) return;
    setError(undefined);
    startTransition(async () => {
      const result = await deleteAccount(typed).catch(() => null);
      if (!result) {
        setError("The studio could not be reached. Try again.");
        return;
      }
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      client.clear();
      // A full navigation: the route clears the cookie, sends Clear-Site-Data and lands on sign-in.
      window.location.assign(new URL("/api/session/end", window.location.origin));
    });
  }

  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)} disabled={!hydrated}>
        Delete account
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title="Delete your account?"
        description="Every image, upload, job and credit is deleted for good. Export your library first if you want to keep it."
      >
        <form onSubmit={confirm} className="flex flex-col gap-4" noValidate>
          <div className="flex flex-col gap-1.5">
            <label htmlFor="confirm-email" className="text-sm font-medium">
              {email ? (
                <>
                  Type <strong className="font-mono">{email}</strong> to confirm
                </>
              ) : (
                <>
                  Type <strong className="font-mono">delete</strong> to confirm
                </>
              )}
            </label>
            <input
              id="confirm-email"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "confirm-email-error" : undefined}
              className="border-border bg-surface text-fg aria-invalid:border-danger h-10 rounded-lg border px-3 text-sm"
            />
          </div>
          {error ? <FormAlert id="confirm-email-error">{error}</FormAlert> : null}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={!matches || pending}>
              {pending ? "Deleting…" : "Delete my account"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
