"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";

import { Button } from "@/components/ui/button";

// A page that failed to render (the database did not answer, for one): say so and offer a retry,
// rather than sending anyone to sign-in.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div role="alert" className="flex max-w-sm flex-col items-center gap-4 text-center">
        <h1 className="text-xl font-semibold">The studio could not load this page</h1>
        <p className="text-muted text-sm">
          Something on our side did not answer. Nothing you made is lost. Try again in a moment.
        </p>
        <Button
          disabled={pending}
          onClick={() =>
            startTransition(() => {
              router.refresh();
              reset();
            })
          }
        >
          {pending ? "Trying again…" : "Try again"}
        </Button>
      </div>
    </main>
  );
}
