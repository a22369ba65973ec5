import "server-only";
import { timingSafeEqual, createHash } from "node:crypto";
import { env } from "../env";
import { pruneIfDue } from "../events/retention";
import { drainWebhooks } from "./dispatcher";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * GET/POST /api/cron/webhooks: drains due webhook deliveries for serverless deployments, where
 * no in-process loop runs, and prunes expired events and deliveries (at most every few minutes
 * per instance; `pruned` is absent when it was not due). Vercel Cron calls it with `Authorization: Bearer $CRON_SECRET`
 * (vercel.json `crons`); without CRON_SECRET set the route does not exist (404).
 */
export async function cronDrain(request: Request): Promise<Response> {
  const secret = env().CRON_SECRET;
  if (!secret) return Response.json({ error: "Not found" }, { status: 404 });
  const given = request.headers.get("authorization") ?? "";
  if (!timingSafeEqual(digest(given), digest(`Bearer ${secret}`))) {
    return Response.json({ error: "Unauthorized" }, { status: 401, headers: { "www-authenticate": 'Bearer realm="gatehouse-cron"' } });
  }
  const result = await drainWebhooks({ budgetMs: 20_000, maxEndpoints: 500 });
  const pruned = await pruneIfDue({ budgetMs: 5_000 });
  return Response.json(pruned ? { ...result, pruned } : result, { headers: { "cache-control": "no-store" } });
}
