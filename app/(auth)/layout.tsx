import { Sparkles } from "lucide-react";
import { redirect } from "next/navigation";

import { getSessionUser } from "@/server/auth/session";

// Only a valid session (its account there, its version current) goes on to the studio: a stale
// cookie stays here, so the two layouts can never bounce a browser between them.
export default async function AuthLayout({ children }: { children: React.ReactNode }) {
  if (await getSessionUser()) redirect("/create");
  return (
    <main className="flex min-h-dvh items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold">
          <Sparkles className="text-accent size-5" aria-hidden />
          Reve Studio
        </div>
        <div className="border-border bg-surface rounded-2xl border p-6 shadow-sm">{children}</div>
      </div>
    </main>
  );
}
