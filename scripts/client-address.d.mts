export function stampClientAddress(
  request: { headers: Record<string, string | string[] | undefined>; socket: { remoteAddress?: string } },
  hops: number,
  warn: (message: string) => void,
): void;
