// GET /api/metrics – Prometheus metrics, for a scraper holding METRICS_TOKEN (off when it is unset).
import { authorizeMetrics } from "@/server/ops/metrics-auth";
import { renderMetrics } from "@/server/ops/metrics";
import { publicRoute } from "@/server/http";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async (request) => {
  authorizeMetrics(request.headers.get("authorization"));
  const { text, contentType } = await renderMetrics();
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
