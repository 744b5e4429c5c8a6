import { AssetImage } from "@/components/ui/asset-image";
import { PROVIDER_LABELS } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";
import { LocalTime } from "@/components/ui/local-time";
import { formatCredits, formatElapsed } from "@/lib/format";

const KIND_LABELS = {
  create: "Created from a prompt",
  edit: "Edit of an image",
  remix: "Remix of references",
} as const;

function Row({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="border-border grid grid-cols-[7.5rem_minmax(0,1fr)] gap-3 border-t py-2.5 text-sm first:border-t-0">
      <dt className="text-muted">{label}</dt>
      <dd data-testid={testId} className="min-w-0 break-words">
        {children}
      </dd>
    </div>
  );
}

/** Everything about a generation: what was asked, who made it, what it cost and when. */
export function GenerationFacts({ generation: g }: { generation: GenerationDto }) {
  const output = g.outputs[0];
  return (
    <dl data-testid="generation-facts">
      <Row label="Kind">{KIND_LABELS[g.kind]}</Row>
      <Row label={g.kind === "edit" ? "Instruction" : "Prompt"} testId="fact-prompt">
        <p className="whitespace-pre-wrap">{g.prompt}</p>
      </Row>
      {g.negativePrompt ? (
        <Row label="Negative" testId="fact-negative">
          <p className="whitespace-pre-wrap">{g.negativePrompt}</p>
        </Row>
      ) : null}
      {g.aspectRatio ? (
        <Row label="Aspect ratio" testId="fact-ratio">
          {g.aspectRatio}
        </Row>
      ) : null}
      {g.kind === "create" ? (
        <Row label="Seed" testId="fact-seed">
          {g.seed === null ? "Random" : <span className="font-mono">{g.seed}</span>}
        </Row>
      ) : null}
      <Row label="Provider" testId="fact-provider">
        {g.provider ? PROVIDER_LABELS[g.provider] : "Not chosen yet"}
        {g.requestedProvider === "auto" ? <span className="text-muted"> (picked by Auto)</span> : null}
      </Row>
      <Row label="Cost" testId="fact-cost">
        {formatCredits(g.cost)}
        {" · "}
        {g.charged ? (
          g.status === "failed" ? (
            "held"
          ) : (
            "charged"
          )
        ) : (
          <span className="text-success font-medium">not charged (refunded)</span>
        )}
      </Row>
      <Row label="Created">
        <LocalTime iso={g.createdAt} />
      </Row>
      {g.completedAt ? (
        <Row label="Finished">
          <LocalTime iso={g.completedAt} />{" "}
          <span className="text-muted">· took {formatElapsed(g.elapsedMs)}</span>
        </Row>
      ) : null}
      {output ? (
        <Row label="Size">
          {output.width} × {output.height} · {output.mime.replace("image/", "").toUpperCase()}
        </Row>
      ) : null}
      {g.inputs.length > 0 ? (
        <Row label={g.kind === "edit" ? "Input" : "References"}>
          <ul className="flex flex-wrap gap-2">
            {g.inputs.map((asset, i) => (
              <li key={asset.id} className="bg-surface-2 size-14 overflow-hidden rounded-md">
                <AssetImage asset={asset} alt={`Input ${i + 1}`} className="size-full" />
              </li>
            ))}
          </ul>
        </Row>
      ) : null}
    </dl>
  );
}
