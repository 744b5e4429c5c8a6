import { strFromU8, unzipSync } from "fflate";

import type { Client } from "../../reliability/support/studio-server";

export interface Crawled {
  label: string;
  status: number;
  headers: Headers;
  /** The body as text (latin1 for binary; ZIP archives unpacked). */
  text: string;
  contentType: string;
}

/** Every way a secret could be written: as is, its random part, base64 and base64url. */
export function secretForms(secrets: Record<string, string>): Map<string, string> {
  const forms = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) {
    forms.set(value, name);
    const random = /[0-9a-f]{16,}$/.exec(value)?.[0];
    if (random) forms.set(random, `${name} (random part)`);
    forms.set(Buffer.from(value).toString("base64").replace(/=+$/, ""), `${name} (base64)`);
    forms.set(Buffer.from(value).toString("base64url"), `${name} (base64url)`);
  }
  return forms;
}

/** Names of the secrets found in `text`. */
export function findSecrets(text: string, forms: Map<string, string>): string[] {
  return [...forms].filter(([form]) => text.includes(form)).map(([, name]) => name);
}

export async function crawl(
  client: Client,
  label: string,
  path: string,
  init: RequestInit = {},
): Promise<Crawled> {
  const response = await client.fetch(path, init);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get("content-type") ?? "";
  let text = Buffer.from(bytes).toString("latin1");
  if (contentType.includes("application/zip") && response.status === 200) {
    text = Object.entries(unzipSync(bytes))
      .map(
        ([name, data]) =>
          `${name}\n${name.endsWith(".json") ? strFromU8(data) : Buffer.from(data).toString("latin1")}`,
      )
      .join("\n");
  } else if (/text|json|javascript|css|x-component|html/.test(contentType)) {
    text = Buffer.from(bytes).toString("utf8");
  }
  return { label, status: response.status, headers: response.headers, text, contentType };
}

/** The built assets a page links to: scripts, styles, fonts. */
export function linkedAssets(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/(?:src|href)="(\/_next\/[^"]+)"/g))
    found.add(match[1]!.replace(/&amp;/g, "&"));
  return [...found];
}

const BASE_HEADERS: [string, RegExp][] = [
  ["x-content-type-options", /^nosniff$/],
  ["referrer-policy", /^strict-origin-when-cross-origin$/],
  ["x-frame-options", /^DENY$/],
  ["permissions-policy", /camera=\(\)/],
];

/** The security headers an answer lacks or gets wrong, by kind of answer. */
export function headerProblems(page: Crawled): string[] {
  const problems: string[] = [];
  for (const [name, expected] of BASE_HEADERS) {
    if (!expected.test(page.headers.get(name) ?? "")) problems.push(`${name}: ${page.headers.get(name)}`);
  }
  const csp = page.headers.get("content-security-policy") ?? "";
  // Route handlers (Auth.js's HTML pages among them) get the API policy, which allows nothing at all.
  const api = / \/api\//.test(page.label);
  if (api) {
    if (!/default-src 'none'/.test(csp)) problems.push(`API answer CSP: ${csp}`);
  } else if (page.contentType.startsWith("text/html")) {
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self' https://checkout.stripe.com",
      "frame-ancestors 'none'",
      "connect-src 'self'",
      "img-src 'self' data: blob:",
    ]) {
      if (!csp.includes(directive)) problems.push(`CSP lacks ${directive}`);
    }
    if (!nonce) problems.push("CSP has no nonce");
    if (/script-src[^;]*'unsafe-inline'/.test(csp)) problems.push("CSP allows inline scripts");
    for (const tag of page.text.match(/<script\b[^>]*>/g) ?? []) {
      if (!tag.includes(`nonce="${nonce}"`)) problems.push(`script without the nonce: ${tag.slice(0, 80)}`);
    }
  }
  return problems;
}
