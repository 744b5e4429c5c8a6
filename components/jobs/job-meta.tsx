import { PROVIDER_LABELS } from "@/lib/domain";
import type { GenerationDto } from "@/lib/dto";
import { formatCredits } from "@/lib/format";

export function providerText(g: GenerationDto): string {
  if (g.provider) {
    const label = PROVIDER_LABELS[g.provider];
    return g.requestedProvider === "auto" ? `Auto · ${label}` : label;
  }
  return g.requestedProvider === "auto" ? "Auto" : PROVIDER_LABELS[g.requestedProvider];
}

/** What a job costs, and, once it failed, that nothing was taken. */
export function CostText({ generation: g }: { generation: GenerationDto }) {
  if (g.status === "failed" && !g.charged) {
    return (
      <span className="text-success font-medium" data-testid="not-charged">
        Not charged
      </span>
    );
  }
  return <span className="tabular-nums">{formatCredits(g.cost)}</span>;
}
