import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { AppShell } from "@/components/shell/app-shell";
import { THEME_COOKIE, parseTheme } from "@/lib/theme";
import { getAccount } from "@/server/account/get-account";
import { requirePageUser } from "@/server/auth/session";

// Every studio page needs a session; the check lives here, not only in the proxy.
export default async function StudioLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const me = await getAccount(user.id).catch(() => null);
  if (!me) redirect("/sign-in");
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <AppShell me={me} theme={theme}>
      {children}
    </AppShell>
  );
}
