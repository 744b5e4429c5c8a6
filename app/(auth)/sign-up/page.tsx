import type { Metadata } from "next";

import { OAuthButtons } from "@/components/auth/oauth-buttons";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { oauthProviders } from "@/server/auth/config";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Create an account" };

export default function SignUpPage() {
  return (
    <>
      <h1 className="mb-6 text-xl font-semibold">Create your account</h1>
      <OAuthButtons providers={oauthProviders} />
      <SignUpForm signupCredits={env.SIGNUP_CREDITS} />
    </>
  );
}
