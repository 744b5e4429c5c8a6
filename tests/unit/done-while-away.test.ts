import { describe, expect, it } from "vitest";

import { groupBatches } from "@/lib/batches";
import { justFinished, notificationOf, titleWithCount } from "@/lib/done-while-away";
import type { GenerationDto } from "@/lib/dto";

describe("the tab title while jobs finish in the background", () => {
  it("puts the count in front of the page's title, and takes it away at 0", () => {
    expect(titleWithCount("Create · Reve Studio", 2)).toBe("(2) Create · Reve Studio");
    expect(titleWithCount("(2) Create · Reve Studio", 3)).toBe("(3) Create · Reve Studio");
    expect(titleWithCount("(3) Create · Reve Studio", 0)).toBe("Create · Reve Studio");
    expect(titleWithCount("Create · Reve Studio", 0)).toBe("Create · Reve Studio");
    // A title that merely starts with a parenthesis keeps it.
    expect(titleWithCount("(draft) Create", 1)).toBe("(1) (draft) Create");
  });

  it("counts a job once, when it goes from running to finished; not one first seen finished", () => {
    expect(justFinished("processing", "succeeded")).toBe(true);
    expect(justFinished("queued", "failed")).toBe(true);
    expect(justFinished("submitting", "succeeded")).toBe(true);
    expect(justFinished(undefined, "succeeded")).toBe(false);
    expect(justFinished("succeeded", "succeeded")).toBe(false);
    expect(justFinished("queued", "processing")).toBe(false);
  });
});

describe("the notification of a finished job", () => {
  const job = {
    status: "succeeded" as const,
    kind: "create",
    prompt: "a private prompt about my garden",
    aspectRatio: "16:9",
    createdAt: "2026-12-03T09:05:00.000Z",
  };

  it("names the job without its prompt unless the user allowed the prompt", () => {
    const plain = notificationOf(job, { showPrompt: false, locale: "en-GB" });
    expect(plain.title).toBe("Your image is ready");
    expect(plain.body).toMatch(/^Create, 16:9, started at \d\d:\d\d$/);
    expect(plain.body).not.toContain("garden");
    expect(notificationOf(job, { showPrompt: true, locale: "en-GB" }).body).toContain(job.prompt);
  });

  it("says a failed job was not charged", () => {
    const failed = notificationOf({ ...job, status: "failed" }, { showPrompt: false });
    expect(failed.title).toBe("An image could not be made");
    expect(failed.body).toMatch(/Nothing was charged\.$/);
  });
});

describe("grouping a list of jobs into batches", () => {
  const dto = (id: string, batchId: string | null) => ({ id, batchId }) as GenerationDto;

  it("puts a batch's images in one entry where its newest appears, oldest first", () => {
    const groups = groupBatches([
      dto("g5", null),
      dto("b4", "B"),
      dto("b3", "B"),
      dto("g2", null),
      dto("b1", "B"),
    ]);
    expect(groups.map((g) => (g.kind === "job" ? g.job.id : g.jobs.map((j) => j.id).join("+")))).toEqual([
      "g5",
      "b1+b3+b4",
      "g2",
    ]);
  });
});
