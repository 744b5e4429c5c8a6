import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CheckoutCall {
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  /** The form fields the SDK sent, flattened as Stripe encodes them (`metadata[userId]`). */
  fields: Record<string, string>;
}

/**
 * The one Stripe endpoint the studio calls, served locally for the real `stripe` SDK (pointed here
 * with STRIPE_API_URL): POST /v1/checkout/sessions. Like Stripe, a repeated idempotency key gets
 * the first answer back.
 */
export async function startStripeFake(listenPort = 0) {
  const calls: CheckoutCall[] = [];
  const byKey = new Map<string, unknown>();
  const byId = new Map<string, unknown>();
  let next = 0;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      // Test-only reads: is the fake up, and what did the studio ask for a session.
      if (request.method === "GET" && request.url?.startsWith("/__sessions/")) {
        const found = byId.get(decodeURIComponent(request.url.slice("/__sessions/".length)));
        response.writeHead(found ? 200 : 404, { "content-type": "application/json" });
        response.end(JSON.stringify(found ?? {}));
        return;
      }
      if (request.method === "GET" && request.url === "/__health") {
        response.writeHead(200).end("ok");
        return;
      }
      if (request.method !== "POST" || request.url !== "/v1/checkout/sessions") {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(
          JSON.stringify({ error: { type: "invalid_request_error", message: "Unknown endpoint" } }),
        );
        return;
      }
      const fields = Object.fromEntries(new URLSearchParams(body));
      const idempotencyKey = request.headers["idempotency-key"] as string | undefined;
      calls.push({ idempotencyKey, authorization: request.headers.authorization, fields });
      let session = idempotencyKey ? byKey.get(idempotencyKey) : undefined;
      if (!session) {
        const id = `cs_test_${++next}_${Math.random().toString(36).slice(2, 10)}`;
        session = {
          id,
          object: "checkout.session",
          mode: fields.mode,
          url: `https://checkout.stripe.test/c/pay/${id}`,
          payment_status: "unpaid",
          status: "open",
          metadata: {
            userId: fields["metadata[userId]"],
            packId: fields["metadata[packId]"],
            credits: fields["metadata[credits]"],
          },
        };
        if (idempotencyKey) byKey.set(idempotencyKey, session);
        byId.set(id, session);
      }
      response.writeHead(200, { "content-type": "application/json", "request-id": `req_${next}` });
      response.end(JSON.stringify(session));
    });
  });
  await new Promise<void>((resolve) => server.listen(listenPort, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
