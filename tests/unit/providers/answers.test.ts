import { describe, expect, it } from "vitest";

import { collectAnswers, keepable, MAX_ANSWER_BYTES, recordAnswer } from "@/server/providers/answers";
import { registerSecret } from "@/server/redact";

// The raw answers kept for operators never hold a key, a callback token or a media signature, and
// never grow past the cap.

describe("raw answers kept for operators", () => {
  it("scrubs keys, tokens and signatures, and caps the size", () => {
    const key = "sk-answer-test-key-0123456789";
    registerSecret(key);
    const body = JSON.stringify({
      echo: `Bearer ${key}`,
      callback: "https://studio.test/api/webhooks/apiframe/g1?token=abcdef123456",
      image: "https://studio.test/api/media/signed/u/x.png?exp=1&sig=deadbeefcafe",
    });
    const kept = keepable(body);
    expect(kept).not.toContain(key);
    expect(kept).not.toContain("abcdef123456");
    expect(kept).not.toContain("deadbeefcafe");
    expect(kept).toContain("[redacted]");
    const huge = keepable("x".repeat(100_000));
    expect(Buffer.byteLength(huge)).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    expect(huge.endsWith("[truncated]")).toBe(true);
  });

  it("collects the answers of one piece of work, whether it succeeds or throws", async () => {
    const ok = await collectAnswers(async () => {
      recordAnswer({ provider: "reveart", operation: "status", httpStatus: 200, body: "{}" });
      return 1;
    });
    expect(ok).toMatchObject({ ok: true, result: 1, answers: [{ provider: "reveart", httpStatus: 200 }] });
    const failed = await collectAnswers(async () => {
      recordAnswer({ provider: "pixazo", operation: "submit", httpStatus: 402, body: "{}" });
      throw new Error("refused");
    });
    expect(failed).toMatchObject({ ok: false, answers: [{ provider: "pixazo", httpStatus: 402 }] });
    // Outside any collection, nothing is kept.
    recordAnswer({ provider: "pixazo", operation: "status", body: "{}" });
  });
});
