import type { ComponentProps } from "react";

/**
 * The box a form shows when something went wrong, announced as it appears (`role="alert"`; pass
 * `role="status"` for a standing notice).
 */
export function FormAlert({ className = "", role = "alert", ...props }: ComponentProps<"p">) {
  return (
    <p
      role={role}
      className={`border-danger/40 bg-danger/10 text-danger rounded-lg border px-3 py-2 text-sm ${className}`}
      {...props}
    />
  );
}
