import { createServer, type Socket } from "node:net";

/** A TCP server that accepts connections and never answers: a download that hangs until it closes. */
export interface SilentServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 127.0.0.1:PORT, as an allow-list names it. */
  host: string;
  /** Connections open now. */
  connections(): number;
  /** Drops every connection (the hung downloads fail) and stops listening. */
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("The silent server has no port.");
  return {
    url: `http://127.0.0.1:${address.port}`,
    host: `127.0.0.1:${address.port}`,
    connections: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
