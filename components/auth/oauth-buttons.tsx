import { signInWithOAuth } from "@/server/actions/sign-in-oauth";

import { buttonClass } from "../ui/button";

export function OAuthButtons({ providers }: { providers: { id: string; name: string }[] }) {
  if (providers.length === 0) return null;
  return (
    <div className="flex flex-col gap-2">
      {providers.map((provider) => (
        <form key={provider.id} action={signInWithOAuth}>
          <input type="hidden" name="provider" value={provider.id} />
          <button type="submit" className={buttonClass("secondary", "w-full")}>
            Continue with {provider.name}
          </button>
        </form>
      ))}
      <div className="text-muted my-2 flex items-center gap-3 text-xs" aria-hidden>
        <span className="bg-border h-px flex-1" /> or <span className="bg-border h-px flex-1" />
      </div>
    </div>
  );
}
