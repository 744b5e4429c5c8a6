"use server";

import "server-only";

import { redirect } from "next/navigation";
import { z } from "zod";

import { authedAction, formAction } from "@/server/action";
import { startCheckout } from "@/server/billing/checkout";
import { AppError } from "@/server/errors";

const input = z.object({ packId: z.string().regex(/^\d{1,7}$/) });

/** Opens Stripe Checkout for one credit pack and sends the browser there. */
export const buyCredits = formAction(
  authedAction(
    input,
    async ({ packId }, user) => {
      const url = await startCheckout(user, packId);
      redirect(url);
    },
    {
      onInvalid: () =>
        new AppError("invalid_input", "Choose one of the packs on offer.", { nothingCharged: true }),
      unexpectedMessage: "Checkout could not be opened. Nothing was charged; try again in a moment.",
    },
  ),
);
