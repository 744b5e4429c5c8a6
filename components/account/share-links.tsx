"use client";

import { useState } from "react";

import { ShareLinkRow } from "@/components/share/share-link-row";
import { useRevokeShare } from "@/components/share/use-revoke-share";
import type { ShareSummary } from "@/lib/shares";

/** Every live share link of the account, each with Revoke. */
export function ShareLinks({ initial }: { initial: ShareSummary[] }) {
  const [links, setLinks] = useState(initial);
  const { revoke, pending } = useRevokeShare((id) => setLinks((all) => all.filter((l) => l.id !== id)));
  if (links.length === 0) {
    return (
      <p className="text-muted text-sm">No live links. Share an image or a collection from the gallery.</p>
    );
  }
  return (
    <ul className="flex flex-col gap-2" aria-label="Live share links">
      {links.map((link) => (
        <ShareLinkRow key={link.id} share={link} onRevoke={revoke} pending={pending} showLabel />
      ))}
    </ul>
  );
}
