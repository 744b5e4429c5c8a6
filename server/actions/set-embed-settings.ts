"use server";

import "server-only";

import { z } from "zod";

import { authedAction } from "@/server/action";
import { setEmbedSettings } from "@/server/account/embed-settings";

const ON_OR_OFF = "Say whether downloads carry their settings: on or off.";
const input = z.strictObject({ embedSettings: z.boolean({ error: ON_OR_OFF }) }, { error: ON_OR_OFF });

/** Turns on or off the settings written inside the user's downloaded images. */
export const setEmbedSettingsAction = authedAction(input, async ({ embedSettings }, user) =>
  setEmbedSettings(user.id, embedSettings),
);
