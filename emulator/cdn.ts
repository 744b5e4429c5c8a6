import type { EmulatorContext } from "./context";
import { Router, sendRaw, sendText, type RequestContext } from "./http";

// GET /files/{fileId}.png – the stand-in for the resellers' CDNs; 404 once a file's TTL is over.

export function filesRouter(emu: EmulatorContext): Router {
  const serve = async (ctx: RequestContext) => {
    const id = /^([A-Za-z0-9_-]+)\.png$/.exec(ctx.params.name ?? "")?.[1];
    const png = id ? await emu.files.read(id, emu.config().fileTtlMs) : null;
    if (!png) return sendText(ctx.res, 404, "File not found");
    sendRaw(ctx.res, 200, png, "image/png", { "Cache-Control": "public, max-age=86400" });
  };
  return new Router().add("GET", "/:name", serve);
}
