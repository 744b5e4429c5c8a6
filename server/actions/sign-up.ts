"use server";

import "server-only";

import { headers } from "next/headers";
import { z } from "zod";

import { signUpSchema } from "@/lib/auth-schemas";
import { formAction, publicAction } from "@/server/action";
import { signIn } from "@/server/auth/config";
import { checkSignUpLimit, clientIpOf } from "@/server/auth/sign-in-limit";
import { createPasswordUser } from "@/server/auth/sign-up";

// A form sends an empty name field as "": that is no name.
const input = signUpSchema.extend({
  name: z.preprocess((value) => value || undefined, signUpSchema.shape.name),
});

export const signUpAction = formAction(
  publicAction(
    input,
    async (data) => {
      // Before the password is hashed: one address cannot make the server hash without end.
      await checkSignUpLimit(clientIpOf(await headers()));
      await createPasswordUser(data);
      await signIn("credentials", { email: data.email, password: data.password, redirectTo: "/create" });
      return null;
    },
    { unexpectedMessage: "We could not create your account. Try again in a moment." },
  ),
);
