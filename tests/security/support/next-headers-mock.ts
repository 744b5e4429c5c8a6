// Stands in for next/headers outside a request, so Auth.js's signIn and signOut run in tests:
//   vi.mock("next/headers", () => import("./support/next-headers-mock"));
const jar = new Map<string, string>();
const extraHeaders = new Map<string, string>();

export async function headers() {
  const result = new Headers({ host: "localhost:3000", "x-forwarded-proto": "http" });
  for (const [name, value] of extraHeaders) result.set(name, value);
  if (jar.size > 0) {
    result.set("cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
  }
  return result;
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
/** The request's cookies and headers, as a browser would send them (e.g. another device). */
export const cookieValue = (name: string) => jar.get(name);
export const setCookie = (name: string, value: string) => void jar.set(name, value);
export const setRequestHeader = (name: string, value: string | null) =>
  void (value === null ? extraHeaders.delete(name) : extraHeaders.set(name, value));
