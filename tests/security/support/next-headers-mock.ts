// Stands in for next/headers outside a request, so Auth.js's signIn and signOut run in tests:
//   vi.mock("next/headers", () => import("./support/next-headers-mock"));
const jar = new Map<string, string>();

export async function headers() {
  return new Headers({ host: "localhost:3000", "x-forwarded-proto": "http" });
}

export async function cookies() {
  return {
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => jar.has(name),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  };
}

/** Names of the cookies the code under test set, for "did this sign in succeed". */
export const cookieNames = () => [...jar.keys()];
export const clearCookies = () => jar.clear();
