import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { ASPECT_SIZES, closestRatio, renderCreate, renderEdit, renderRemix } from "@/emulator/images";
import { parseMarkers, stripMarkers } from "@/emulator/markers";
import { ASPECT_RATIOS } from "@/lib/domain";

import { solidPng } from "./helpers";

describe("images", () => {
  it("sizes create outputs by ratio with a long side of 1024", async () => {
    expect(ASPECT_SIZES).toEqual({
      "1:1": { width: 1024, height: 1024 },
      "16:9": { width: 1024, height: 576 },
      "9:16": { width: 576, height: 1024 },
      "4:3": { width: 1024, height: 768 },
      "3:4": { width: 768, height: 1024 },
      "3:2": { width: 1024, height: 683 },
      "2:3": { width: 683, height: 1024 },
    });
    for (const ratio of ASPECT_RATIOS) {
      const png = await renderCreate({ prompt: `ratio ${ratio}`, seed: 1, ratio, variant: 0 });
      const meta = await sharp(png).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([
        "png",
        ASPECT_SIZES[ratio].width,
        ASPECT_SIZES[ratio].height,
      ]);
    }
  });

  it("is deterministic in prompt, seed, ratio and variant, and renders long or odd prompts", async () => {
    const base = { prompt: 'a <b> & "quoted" prompt', seed: 3, ratio: "4:3" as const, variant: 0 };
    const a = await renderCreate(base);
    expect(a.equals(await renderCreate(base))).toBe(true);
    expect(a.equals(await renderCreate({ ...base, prompt: "another prompt" }))).toBe(false);
    expect(a.equals(await renderCreate({ ...base, variant: 1 }))).toBe(false);
    const long = await renderCreate({
      ...base,
      prompt: "word ".repeat(600) + "supercalifragilistic".repeat(20),
    });
    expect((await sharp(long).metadata()).width).toBe(1024);
    const blank = await renderCreate({ ...base, prompt: "" });
    expect((await sharp(blank).metadata()).height).toBe(768);
  });

  it("keeps the input's aspect on edit and the requested ratio on remix", async () => {
    const wide = await solidPng(1600, 400, "#336699");
    const edited = await sharp(await renderEdit(wide, "brighter", 0)).metadata();
    expect([edited.width, edited.height]).toEqual([1024, 256]);
    const remixed = await sharp(await renderRemix([wide, wide, wide, wide], "four", "3:4", 0)).metadata();
    expect([remixed.width, remixed.height]).toEqual([768, 1024]);
  });

  it("picks the nearest supported ratio", () => {
    expect(closestRatio(1920, 1080)).toBe("16:9");
    expect(closestRatio(1000, 1010)).toBe("1:1");
    expect(closestRatio(600, 900)).toBe("2:3");
    expect(closestRatio(300, 600)).toBe("9:16");
  });
});

describe("markers", () => {
  it("reads every marker, case-insensitively, anywhere in the prompt", () => {
    expect(parseMarkers("a cat [EMU:Fail] on a mat")).toMatchObject({ outcome: "fail" });
    expect(parseMarkers("[emu:503] x")).toMatchObject({ status: 503 });
    expect(parseMarkers("x [emu:slow=1500] [emu:multi] [emu:malformed-status]")).toMatchObject({
      slowMs: 1500,
      multi: true,
      malformedStatus: true,
      malformed: false,
    });
    expect(parseMarkers("[emu:toomany][emu:timeout][emu:malformed]")).toMatchObject({
      tooMany: true,
      timeout: true,
      malformed: true,
    });
    expect(parseMarkers("[emu:418] [emu:nonsense] plain")).toEqual({
      tooMany: false,
      timeout: false,
      malformed: false,
      malformedStatus: false,
      multi: false,
      drift: {
        idField: false,
        inBetween: false,
        oneUrl: false,
        numericCode: false,
        slash: false,
        gateway502: false,
        status401: false,
      },
    });
    expect(
      parseMarkers("[emu:id][emu:inbetween][emu:oneurl][emu:numcode][emu:slash][emu:retryafter=30]").drift,
    ).toEqual({
      idField: true,
      inBetween: true,
      oneUrl: true,
      numericCode: true,
      slash: true,
      retryAfterSeconds: 30,
      gateway502: false,
      status401: false,
    });
    expect(parseMarkers("[emu:gateway502] [emu:status401]").drift).toMatchObject({
      gateway502: true,
      status401: true,
    });
    expect(stripMarkers("a  cat [emu:fail] on [emu:slow=10] a mat")).toBe("a cat on a mat");
  });
});
