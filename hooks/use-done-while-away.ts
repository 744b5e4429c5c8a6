"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useSyncExternalStore } from "react";

import {
  justFinished,
  notificationOf,
  NOTIFY_KEY,
  NOTIFY_PROMPT_KEY,
  titleWithCount,
} from "@/lib/done-while-away";
import type { GenerationStatus } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";

// Whether this tab has submitted a job yet: the notification offer waits for the first submit.
let submitted = false;
const submitListeners = new Set<() => void>();

/** Called by the submit flow when the studio accepted a job. */
export function noteSubmitted() {
  if (submitted) return;
  submitted = true;
  for (const listener of submitListeners) listener();
}

function subscribeSubmitted(listener: () => void) {
  submitListeners.add(listener);
  return () => {
    submitListeners.delete(listener);
  };
}

// The notification settings: the browser's permission and the user's two choices in localStorage.
const settingsListeners = new Set<() => void>();

function subscribeSettings(listener: () => void) {
  settingsListeners.add(listener);
  return () => {
    settingsListeners.delete(listener);
  };
}

function settingsSnapshot(): string {
  const permission = typeof Notification === "undefined" ? "unsupported" : Notification.permission;
  return [permission, readSetting(NOTIFY_KEY) ?? "", readSetting(NOTIFY_PROMPT_KEY) ?? ""].join("|");
}

function readSetting(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeSetting(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private modes may refuse storage: the choice then is not kept.
  }
  for (const listener of settingsListeners) listener();
}

/**
 * Jobs that finish while the tab is hidden: their count in the tab's title until the tab is seen
 * again, and, when the user opted in (offered only after their first submit), a browser
 * notification per job that names it without its prompt unless the user allowed the prompt.
 * Watches every job the page knows through React Query, however it learns of them.
 */
export function useDoneWhileAway() {
  const client = useQueryClient();
  const hasSubmitted = useSyncExternalStore(
    subscribeSubmitted,
    () => submitted,
    () => false,
  );
  const [permission, choice, promptChoice] = useSyncExternalStore(
    subscribeSettings,
    settingsSnapshot,
    () => "unsupported||",
  ).split("|");
  const showPrompt = promptChoice === "on";
  const notify = permission === "granted" && choice === "on";
  const settings = useRef({ notify, showPrompt });
  useEffect(() => {
    settings.current = { notify, showPrompt };
  }, [notify, showPrompt]);

  useEffect(() => {
    const cache = client.getQueryCache();
    const seen = new Map<string, GenerationStatus>();
    let finished = 0;
    const jobOf = (key: readonly unknown[], data: unknown) =>
      key[0] === "generation" && data ? (data as GenerationDto) : undefined;
    for (const query of cache.findAll({ queryKey: ["generation"] })) {
      const job = jobOf(query.queryKey, query.state.data);
      if (job) seen.set(job.id, job.status);
    }
    const unsubscribe = cache.subscribe((event) => {
      if (event.type !== "added" && event.type !== "updated") return;
      const job = jobOf(event.query.queryKey, event.query.state.data);
      if (!job) return;
      const before = seen.get(job.id);
      seen.set(job.id, job.status);
      if (!justFinished(before, job.status) || !document.hidden) return;
      finished += 1;
      document.title = titleWithCount(document.title, finished);
      if (settings.current.notify) {
        const { title, body } = notificationOf(job, { showPrompt: settings.current.showPrompt });
        const notification = new Notification(title, { body, tag: job.id });
        notification.onclick = () => {
          window.focus();
          notification.close();
        };
      }
    });
    const onVisibility = () => {
      if (document.hidden || finished === 0) return;
      finished = 0;
      document.title = titleWithCount(document.title, 0);
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      unsubscribe();
      document.removeEventListener("visibilitychange", onVisibility);
      document.title = titleWithCount(document.title, 0);
    };
  }, [client]);

  async function enable() {
    const granted =
      Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
    writeSetting(NOTIFY_KEY, granted === "granted" ? "on" : "off");
  }

  function decline() {
    writeSetting(NOTIFY_KEY, "off");
  }

  function setShowPrompt(value: boolean) {
    writeSetting(NOTIFY_PROMPT_KEY, value ? "on" : "off");
  }

  return {
    /** Offer notifications: after the first submit, once, where the browser has them. */
    offer: hasSubmitted && choice === "" && (permission === "default" || permission === "granted"),
    enabled: notify,
    showPrompt,
    enable,
    decline,
    setShowPrompt,
  };
}
