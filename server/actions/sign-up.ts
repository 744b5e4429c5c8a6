"use server";

import "server-only";

import { z } from "zod";

import { signUpSchema } from "@/lib/auth-schemas";
import { formAction, publicAction } from "@/server/action";
import { signIn } from "@/server/auth/config";
import { checkSignUpLimit } from "@/server/auth/sign-in-limit";
import { createPasswordUser } from "@/server/auth/sign-up";
import { requestIp } from "@/server/request-ip";

// A form sends an empty name field as "": that is no name.
const input = signUpSchema.extend({
  name: z.preprocess((value) => value || undefined, signUpSchema.shape.name),
});

export const signUpAction = formAction(
  publicAction(
    input,
    async (data) => {
      const ip = await requestIp();
      // Before the password is hashed: one address cannot make the server hash without end.
      await checkSignUpLimit(ip);
      const user = await createPasswordUser(data, ip);
      // Without welcome credits, the credits page says why and how to get some.
      const next = user.welcome === "granted" || user.welcome === null ? "/create" : "/credits";
      await signIn("credentials", { email: data.email, password: data.password, redirectTo: next });
      return null;
    },
    { unexpectedMessage: "We could not create your account. Try again in a moment." },
  ),
);
