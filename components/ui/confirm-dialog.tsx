"use client";

import { Button } from "./button";
import { Dialog } from "./dialog";

/** A destructive step asked once: Cancel has focus, the server's refusal shows above the buttons. */
export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  error,
  confirmLabel,
  pendingLabel,
  pending,
  onConfirm,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description: React.ReactNode;
  error?: string;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  onConfirm: () => void;
}) {
  return (
    <Dialog open={open} onClose={onClose} title={title} description={description}>
      {error ? (
        <p
          role="alert"
          className="border-danger/40 bg-danger/10 text-danger rounded-lg border px-3 py-2 text-sm"
        >
          {error}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose} data-autofocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={onConfirm} disabled={pending}>
          {pending ? pendingLabel : confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
