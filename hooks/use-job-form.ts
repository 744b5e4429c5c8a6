"use client";

import { useState } from "react";

import { revealBelowFold } from "@/components/jobs/reveal";
import type { Operation } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";

import { useAffordability } from "./use-affordability";
import { type JobDraft, type SubmitResult, useSubmitJob } from "./use-submit-job";

export interface JobFormOptions {
  kind: Operation;
  /** The whole price of the submit (a batch: the price of one image times the count). */
  cost: number;
  /** The element scrolled into view when the job's card appears. */
  revealId: string;
  /** Whether the form shows the job it sent beside itself (edit, remix) or only in a list (create). */
  showsResult: boolean;
}

export interface JobSend {
  /**
   * What the card shows before the server answers, or null when the form cannot be sent as it is
   * (the field errors then show and nothing is sent).
   */
  draft: JobDraft | null;
  send: () => Promise<SubmitResult>;
  /** How many images the submit makes (a batch of 2 to 4 shows as that many cards). */
  count?: number;
}

/**
 * The submit flow every job form shares: field errors shown after the first try, the server's
 * refusal under the button, the price against the balance, and the job shown as soon as it is sent.
 */
export function useJobForm({ kind, cost, revealId, showsResult }: JobFormOptions) {
  const { submit, submitting } = useSubmitJob(kind);
  const { balance } = useAffordability(cost);
  const [showErrors, setShowErrors] = useState(false);
  const [serverError, setServerError] = useState<string>();
  const [job, setJob] = useState<GenerationDto | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>, { draft, send, count = 1 }: JobSend) {
    event.preventDefault();
    setShowErrors(true);
    setServerError(undefined);
    if (!draft || submitting) return;
    const outcome = await submit(
      draft,
      send,
      (shown) => {
        if (showsResult) setJob(shown);
        revealBelowFold(revealId);
      },
      count,
    );
    if (outcome.ok) {
      if (showsResult) setJob(outcome.generation);
      setShowErrors(false);
    } else {
      if (showsResult) setJob(null);
      setServerError(outcome.message);
    }
  }

  return {
    onSubmit,
    showErrors,
    setShowErrors,
    setServerError,
    job,
    setJob,
    /** The props of the form's `SubmitBar` that this flow owns. */
    bar: { cost, balance, submitting, error: serverError },
  };
}
