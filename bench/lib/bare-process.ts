import { baseEnv, spawnNode, waitUntil, type Child } from "./child-process";

export interface BareServer {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

/** Starts bench/lib/bare-server.ts in its own process. */
export async function startBareServer(mode: "proxy" | "json", arg: string): Promise<BareServer> {
  const child = spawnNode(["--import", "tsx", "bench/lib/bare-server.ts", mode, arg], baseEnv(), {
    label: `bare ${mode}`,
  });
  let url = "";
  await waitUntil(
    child,
    `The bare ${mode} server`,
    async () => {
      url = /listening on (http:\/\/\S+)/.exec(child.output())?.[1] ?? "";
      return url !== "";
    },
    30_000,
  );
  return { url, child, stop: () => child.stop() };
}
