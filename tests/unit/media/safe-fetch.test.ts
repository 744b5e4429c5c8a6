import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { type ResolveHost, SafeFetchError, safeFetchImage } from "@/server/media/safe-fetch";

const IMAGE = Buffer.from("\x89PNG\r\n\x1a\n-not-really-but-bytes-are-bytes", "latin1");

let server: http.Server;
let port: number;
let host: string;
let seen: { url: string; host: string | undefined }[] = [];
const openSockets = new Set<Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", host: req.headers.host });
    const url = new URL(req.url ?? "/", "http://placeholder");
    switch (url.pathname) {
      case "/image.png":
        res.writeHead(200, { "content-type": "image/png", "content-length": IMAGE.length });
        return res.end(IMAGE);
      case "/redirect":
        res.writeHead(302, { location: url.searchParams.get("to") ?? "/image.png" });
        return res.end();
      case "/loop":
        res.writeHead(301, { location: "/loop" });
        return res.end();
      case "/declared-large":
        res.writeHead(200, { "content-type": "image/png", "content-length": 5_000_000 });
        return res.end(Buffer.alloc(10));
      case "/streamed-large": {
        res.writeHead(200, { "content-type": "image/png" });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const push = () => {
          while (sent < 4 * 1024 * 1024 && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return res.once("drain", push);
          }
          res.end();
        };
        return push();
      }
      case "/hang":
        return; // never answers
      case "/stall-body":
        res.writeHead(200, { "content-type": "image/png", "content-length": 1000 });
        res.write(Buffer.alloc(10));
        return; // never finishes
      default:
        res.writeHead(404, { "content-type": "text/plain" });
        return res.end("not found");
    }
  });
  server.on("connection", (socket) => {
    openSockets.add(socket);
    socket.on("close", () => openSockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  host = `127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const socket of openSockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

const base = () => ({ allowHosts: [host], maxBytes: 1024 * 1024, timeoutMs: 5000 });

async function failure(promise: Promise<unknown>): Promise<SafeFetchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SafeFetchError);
  return error as SafeFetchError;
}

describe("safeFetchImage", () => {
  it("downloads from an allowed local host over http", async () => {
    const result = await safeFetchImage(`http://${host}/image.png`, base());
    expect(result.body).toEqual(IMAGE);
    expect(result.contentType).toBe("image/png");
  });

  it("follows a relative redirect on the allowed host", async () => {
    const result = await safeFetchImage(`http://${host}/redirect?to=/image.png`, base());
    expect(result.body).toEqual(IMAGE);
    expect(seen.map((s) => s.url)).toEqual(["/redirect?to=/image.png", "/image.png"]);
  });

  it.each([
    "https://127.0.0.1/image.png",
    "https://localhost/image.png",
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.1/image.png",
    "https://[::1]/image.png",
    "https://[::ffff:127.0.0.1]/image.png",
    "https://0.0.0.0/image.png",
    "https://2130706433/image.png",
  ])("refuses %s as a blocked address", async (url) => {
    const error = await failure(safeFetchImage(url, base()));
    expect(error.reason).toBe("blocked_address");
  });

  it("refuses the local server itself when it is not allowed", async () => {
    const error = await failure(safeFetchImage(`https://localhost:${port}/image.png`, base()));
    expect(error.reason).toBe("blocked_address");
    expect(seen).toEqual([]);
  });

  it("refuses http, and other schemes, for hosts that are not allowed", async () => {
    for (const url of [
      "http://example.com/image.png",
      `http://localhost:${port}/image.png`,
      "ftp://example.com/image.png",
      "file:///etc/passwd",
      "data:image/png;base64,AAAA",
    ]) {
      expect((await failure(safeFetchImage(url, base()))).reason, url).toBe("bad_scheme");
    }
    expect(seen).toEqual([]);
  });

  it("refuses URLs with credentials, unparsable URLs, and keeps credentials out of the message", async () => {
    const error = await failure(safeFetchImage("https://user:hunter2@example.com/image.png", base()));
    expect(error.reason).toBe("bad_url");
    expect(error.message).not.toContain("hunter2");
    expect((await failure(safeFetchImage("not a url", base()))).reason).toBe("bad_url");
  });

  it.each([
    ["https://169.254.169.254/latest/meta-data/", "blocked_address"],
    ["https://localhost/image.png", "blocked_address"],
    ["http://10.0.0.1/image.png", "bad_scheme"],
  ])("re-checks a redirect to %s", async (target, reason) => {
    const error = await failure(
      safeFetchImage(`http://${host}/redirect?to=${encodeURIComponent(target)}`, base()),
    );
    expect(error.reason).toBe(reason);
    expect(seen).toHaveLength(1);
  });

  it("stops after too many redirects", async () => {
    const error = await failure(safeFetchImage(`http://${host}/loop`, { ...base(), maxRedirects: 3 }));
    expect(error.reason).toBe("too_many_redirects");
    expect(seen).toHaveLength(4);
  });

  it("reports an HTTP error status without the URL's query", async () => {
    const error = await failure(safeFetchImage(`http://${host}/missing?token=s3cr3t-token`, base()));
    expect(error.reason).toBe("http_status");
    expect(error.status).toBe(404);
    expect(error.message).not.toContain("s3cr3t");
    expect(JSON.stringify(error)).not.toContain("s3cr3t");
  });

  it("refuses a body declared larger than the limit", async () => {
    const error = await failure(safeFetchImage(`http://${host}/declared-large`, base()));
    expect(error.reason).toBe("too_large");
  });

  it("stops reading a streamed body once it passes the limit", async () => {
    const error = await failure(safeFetchImage(`http://${host}/streamed-large`, base()));
    expect(error.reason).toBe("too_large");
  });

  it("times out on a host that never answers, or stops mid-body", async () => {
    for (const path of ["/hang", "/stall-body"]) {
      const error = await failure(safeFetchImage(`http://${host}${path}`, { ...base(), timeoutMs: 200 }));
      expect(error.reason, path).toBe("timeout");
    }
  });

  it("reports a refused connection as a network error", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const error = await failure(
      safeFetchImage(`http://127.0.0.1:${closedPort}/image.png`, {
        ...base(),
        allowHosts: [`127.0.0.1:${closedPort}`],
      }),
    );
    expect(error.reason).toBe("network");
  });

  describe("with its own DNS answers", () => {
    const answers =
      (table: Record<string, string[]>): ResolveHost =>
      async (hostname) => {
        const addresses = table[hostname];
        if (!addresses)
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
        return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
      };

    it("refuses a name that resolves to a private address, even among public ones", async () => {
      const resolve = answers({ "evil.test": ["10.0.0.1"], "mixed.test": ["93.184.216.34", "127.0.0.1"] });
      for (const url of ["https://evil.test/a.png", "https://mixed.test/a.png"]) {
        expect((await failure(safeFetchImage(url, { ...base(), resolve }))).reason, url).toBe(
          "blocked_address",
        );
      }
    });

    it("connects to the address it resolved and checked, not to a second lookup", async () => {
      // The system resolver does not know this name: success means the request used our answer.
      const resolve = answers({ "pinned.test": ["127.0.0.1"] });
      const result = await safeFetchImage(`http://pinned.test:${port}/image.png`, {
        ...base(),
        allowHosts: [`pinned.test:${port}`],
        resolve,
      });
      expect(result.body).toEqual(IMAGE);
      expect(seen).toEqual([{ url: "/image.png", host: `pinned.test:${port}` }]);
    });

    it("reports an unknown name as a network error", async () => {
      const error = await failure(
        safeFetchImage("https://nowhere.test/a.png", { ...base(), resolve: answers({}) }),
      );
      expect(error.reason).toBe("network");
    });
  });
});
