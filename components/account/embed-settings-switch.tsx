"use client";

import { useState, useTransition } from "react";

import { setEmbedSettingsAction } from "@/server/actions/set-embed-settings";

/** The privacy switch for the settings written inside downloaded images. */
export function EmbedSettingsSwitch({ initial }: { initial: boolean }) {
  const [on, setOn] = useState(initial);
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const [pending, startTransition] = useTransition();

  function change(next: boolean) {
    setOn(next);
    setMessage(undefined);
    startTransition(async () => {
      const result = await setEmbedSettingsAction({ embedSettings: next }).catch(() => null);
      if (result?.ok) {
        setMessage({
          text: next ? "Downloads now carry their settings." : "Downloads now carry no settings.",
          error: false,
        });
      } else {
        setOn(!next);
        setMessage({
          text: result?.error.message ?? "The setting could not be saved. Try again.",
          error: true,
        });
      }
    });
  }

  return (
    <div className="flex flex-col gap-2">
      <label className="flex items-center gap-3 text-sm font-medium">
        <input
          type="checkbox"
          className="accent-accent size-4"
          checked={on}
          disabled={pending}
          onChange={(event) => change(event.target.checked)}
          aria-describedby="embed-settings-hint"
        />
        Write the settings into downloaded images
      </label>
      <p id="embed-settings-hint" className="text-muted text-sm">
        Prompt, negative prompt, ratio, seed, reseller and a link to the image, in the file’s XMP metadata, so
        dropping it on Create restores them. Turn off to share files with no hidden data.
      </p>
      {message ? (
        <p
          role={message.error ? "alert" : "status"}
          className={`text-sm ${message.error ? "text-danger" : ""}`}
        >
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
