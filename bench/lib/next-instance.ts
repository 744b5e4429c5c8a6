import { baseEnv, spawnNode, waitUntil, type Child } from "./child-process";
import { NEXT_BIN } from "./build";
import { freePort } from "./ports";

// One `next start` of the existing production build, on a port of its own, configured only by the
// variables given here.

export interface NextInstance {
  url: string;
  port: number;
  child: Child;
  stop(): Promise<void>;
}

export interface NextInstanceOptions {
  label: string;
  /** The app's variables (DATABASE_URL, secrets, DATA_DIR, EMULATOR_PORT, limits, …). */
  env: Record<string, string>;
  port?: number;
  echo?: boolean;
  /** Extra node flags, e.g. `--cpu-prof` to see where a bench's time goes. */
  nodeArgs?: string[];
}

export async function startNextInstance(options: NextInstanceOptions): Promise<NextInstance> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawnNode(
    [...(options.nodeArgs ?? []), NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      ...baseEnv(),
      NEXT_TELEMETRY_DISABLED: "1",
      APP_URL: url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // Every bench user signs in from 127.0.0.1: one address, more users than its default allowance.
      SIGNIN_ATTEMPTS_PER_IP_PER_15_MINUTES: "100000",
      ...options.env,
    },
    { label: options.label, echo: options.echo },
  );
  try {
    // Any answer from a route handler means the server is up and the app's modules load.
    await waitUntil(
      child,
      `next start (${options.label})`,
      async () => (await fetch(`${url}/api/me`)).status < 500,
      90_000,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, port, child, stop: () => child.stop() };
}
