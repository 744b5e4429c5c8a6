"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Trash } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";

import { buttonClass } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useHydrated } from "@/hooks/use-hydrated";
import { GENERATIONS_KEY } from "@/lib/query-keys";
import { deleteGeneration } from "@/server/actions/delete-generation";

/** Delete, after a confirm dialog; then back to the gallery with a toast. */
export function DeleteGenerationButton({ id, disabledReason }: { id: string; disabledReason?: string }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const hydrated = useHydrated();
  const router = useRouter();
  const client = useQueryClient();

  function confirm() {
    setError(undefined);
    startTransition(async () => {
      const result = await deleteGeneration(id).catch(() => null);
      if (!result) {
        setError("The studio could not be reached. Try again.");
        return;
      }
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setOpen(false);
      await client.invalidateQueries({ queryKey: GENERATIONS_KEY });
      toast.success("Image deleted");
      router.push("/gallery");
    });
  }

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        disabled={disabledReason !== undefined || !hydrated}
        title={disabledReason}
        className={buttonClass("ghost", "text-danger")}
      >
        <Trash className="size-4" aria-hidden /> Delete
      </button>
      {disabledReason ? <p className="text-muted basis-full text-xs">{disabledReason}</p> : null}
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Delete this image?"
        description="The image, its settings and any upload only it used are deleted for good. Your credit history keeps the entry."
        error={error}
        confirmLabel="Delete image"
        pendingLabel="Deleting…"
        pending={pending}
        onConfirm={confirm}
      />
    </>
  );
}
