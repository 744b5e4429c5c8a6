import "server-only";

import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { CredentialsSignin } from "next-auth";
import type { Provider } from "next-auth/providers";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";

import { signInSchema } from "@/lib/auth-schemas";
import { getDb } from "@/server/db/client";
import { env } from "@/server/env";
import { AppError } from "@/server/errors";

import { isKnownDevice, knownDeviceCookieFrom, rememberDevice } from "./known-device";
import { decoyHash, verifyPassword } from "./password";
import { SECURE_COOKIES, SESSION_MAX_AGE_SECONDS, SESSION_ROLL_AFTER_SECONDS } from "./session-cookie";
import { currentSessionVersion, forgetSessionVersion } from "./session-version";
import { checkSignInLimits, clientIpOf, signInSucceeded } from "./sign-in-limit";

/** The largest body an Auth.js endpoint reads: its forms hold a few short fields. */
export const AUTH_BODY_MAX_BYTES = 64 * 1024;

class WrongCredentials extends CredentialsSignin {
  override code = "wrong_credentials";
}

/** The email has used up its sign-in attempts; `userMessage` says how long to wait. */
export class TooManySignInAttempts extends CredentialsSignin {
  override code = "rate_limited";
  readonly userMessage: string;
  constructor(userMessage: string) {
    super();
    this.userMessage = userMessage;
  }
}

const providers: Provider[] = [
  Credentials({
    credentials: { email: {}, password: {} },
    async authorize(raw, request) {
      const parsed = signInSchema.safeParse(raw);
      if (!parsed.success) throw new WrongCredentials();
      const { email, password } = parsed.data;
      const user = await getDb().user.findUnique({ where: { email } });
      const attempt = {
        email,
        ip: clientIpOf(request.headers),
        knownDevice: !!user && isKnownDevice(knownDeviceCookieFrom(request.headers.get("cookie")), user.id),
      };
      // Counted here, behind both ways in: the sign-in form's action and Auth.js's own
      // POST /api/auth/callback/credentials, which a script can call directly. Nothing is hashed
      // or verified until every limit has passed.
      await checkSignInLimits(attempt).catch((error: unknown) => {
        throw error instanceof AppError ? new TooManySignInAttempts(error.message) : error;
      });
      const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash()), password);
      if (!user?.passwordHash || !ok) throw new WrongCredentials();
      await signInSucceeded(attempt);
      await rememberDevice(user.id);
      return { id: user.id, email: user.email, name: user.name, image: user.image };
    },
  }),
];
if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
  providers.push(GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET }));
}
if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
  providers.push(Google({ clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET }));
}

/** OAuth providers switched on by env, for the sign-in page's buttons. */
export const oauthProviders = providers
  .map((p) => (typeof p === "function" ? p() : p))
  .filter((p) => p.type === "oauth" || p.type === "oidc")
  .map((p) => ({ id: p.id, name: p.name }));

// The configuration is built for each use, so that the adapter writes to the database `getDb()`
// gives at that moment.
export const { handlers, signIn, signOut } = NextAuth(() => ({
  // The adapter stores OAuth accounts; sessions are JWTs so that Credentials sign-in works too.
  adapter: PrismaAdapter(getDb() as unknown as Parameters<typeof PrismaAdapter>[0]),
  // Rolling: proxy.ts re-issues a token older than a day on the next page view (server/auth/session-cookie.ts).
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: SESSION_ROLL_AFTER_SECONDS },
  // The cookie's name follows APP_URL's scheme, as the session reader expects.
  useSecureCookies: SECURE_COOKIES,
  secret: env.AUTH_SECRET,
  trustHost: true,
  providers,
  pages: { signIn: "/sign-in" },
  logger: {
    // A wrong password is an answer, not a fault: the default logger would print a stack for each.
    // A spent sign-in limit is worth a line (without the email); anything else is logged by name.
    error(error) {
      if (error instanceof TooManySignInAttempts) console.warn("[auth] sign-in attempts limit reached");
      else if (!(error instanceof CredentialsSignin)) console.error(`[auth] ${error.name}: ${error.message}`);
    },
  },
  callbacks: {
    async jwt({ token, user }) {
      if (user?.id) {
        // A new session carries the user's current version; bumping it ends this session.
        forgetSessionVersion(user.id);
        token.sub = user.id;
        token.sv = (await currentSessionVersion(user.id)) ?? 0;
        return token;
      }
      // Auth.js's own endpoints (/api/auth/session) refuse a revoked session as the reader does.
      if (!token.sub || (await currentSessionVersion(token.sub)) !== (token.sv ?? 0)) return null;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
  events: {
    // OAuth sign-ups get the same welcome credits as email sign-ups, under the same limits, once.
    async createUser({ user }) {
      if (!user.id) return;
      const [{ welcomeOAuthUser }, { requestIp }] = await Promise.all([
        import("./sign-up"),
        import("@/server/request-ip"),
      ]);
      await welcomeOAuthUser(user.id, await requestIp());
    },
  },
}));
