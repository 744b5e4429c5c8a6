import type { Metadata } from "next";

import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignInForm } from "@/components/auth/sign-in-form";
import { oauthProviders } from "@/server/auth/config";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Sign in</h1>
      <OAuthButtons providers={oauthProviders} />
      <SignInForm next={next} />
    </>
  );
}
