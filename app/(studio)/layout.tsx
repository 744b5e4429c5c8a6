import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { AppShell } from "@/components/shell/app-shell";
import { THEME_COOKIE, parseTheme } from "@/lib/theme";
import { findAccount } from "@/server/account/get-account";
import { END_SESSION_PATH, requirePageUser } from "@/server/auth/session";

// Every studio page needs a session; the check lives here, not only in the proxy. An ended session
// goes through END_SESSION_PATH, which clears its cookie, so the sign-in page never bounces it
// back; a database error reaches app/error.tsx (a retry), never a redirect.
export default async function StudioLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const me = await findAccount(user.id);
  if (!me) redirect(END_SESSION_PATH);
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <AppShell me={me} theme={theme}>
      {children}
    </AppShell>
  );
}
