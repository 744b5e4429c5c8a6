"use server";

import "server-only";

import { headers } from "next/headers";
import { z } from "zod";

import { authedAction, formAction } from "@/server/action";
import { redeemVoucher } from "@/server/billing/vouchers";
import { clientIpFrom } from "@/server/auth/client-ip";

const input = z.object({
  code: z.string().trim().min(1, "Type the code you were given.").max(40, "That code is not valid."),
});

/** Redeems a voucher code for the signed-in user. */
export const redeemVoucherAction = formAction(
  authedAction(input, async ({ code }, user) =>
    redeemVoucher(user.id, code, clientIpFrom((await headers()).get("x-forwarded-for"), 0)),
  ),
);
