"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { setEmbedSettings } from "@/server/account/embed-settings";

const input = z.strictObject({ embedSettings: z.boolean() });

/** Turns on or off the settings written inside the user's downloaded images. */
export const setEmbedSettingsAction = authedAction(input, async ({ embedSettings }, user) =>
  setEmbedSettings(user.id, embedSettings),
);
