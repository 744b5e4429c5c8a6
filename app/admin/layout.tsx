import { cookies } from "next/headers";
import { notFound } from "next/navigation";

import { AppShell } from "@/components/shell/app-shell";
import { THEME_COOKIE, parseTheme } from "@/lib/theme";
import { findAccount } from "@/server/account/get-account";
import { requireAdminPage } from "@/server/admin/page-guard";

// Not under (studio): anyone who is not an admin, signed in or not, gets the 404 of a missing page.
// Each page checks again: a layout alone is not an authorization boundary.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requireAdminPage();
  const me = await findAccount(user.id);
  if (!me) notFound();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <AppShell me={me} theme={theme}>
      {children}
    </AppShell>
  );
}
