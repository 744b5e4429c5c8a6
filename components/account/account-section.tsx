import type { ReactNode } from "react";

/** A titled panel of the account page, named by its heading for screen readers. */
export function AccountSection({
  id,
  title,
  gap = "gap-3",
  children,
}: {
  id: string;
  title: string;
  gap?: "gap-3" | "gap-5";
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={`${id}-heading`}
      className={`border-border bg-surface flex flex-col rounded-2xl border p-6 ${gap}`}
    >
      <h2 id={`${id}-heading`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
