import "./zod-csp";

import { z } from "zod";

// Shared by the sign-up and sign-in forms and the server actions behind them.

export const PASSWORD_MIN = 10;

const COMMON_PASSWORDS = new Set([
  "password123",
  "password1234",
  "1234567890",
  "12345678910",
  "qwertyuiop",
  "iloveyou123",
  "letmein1234",
  "welcome1234",
  "passwordpassword",
  "abcdefghij",
]);

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address.").max(254, "That email address is too long."));

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters for your password.`)
  .max(256, "Use at most 256 characters for your password.")
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), "That password is too common. Pick another.")
  .refine((p) => new Set(p).size >= 4, "That password is too easy to guess. Mix more characters.");

export const signUpSchema = z.object({
  name: z.string().trim().max(80, "Use at most 80 characters for your name.").optional(),
  email: emailSchema,
  password: newPasswordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(256),
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(256),
  newPassword: newPasswordSchema,
});
