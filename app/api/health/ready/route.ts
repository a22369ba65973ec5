import { databaseHealth, isReady, noStore } from "../health-report";

export const dynamic = "force-dynamic";

/** Readiness for a load balancer or orchestrator: 200 once the database answers and is fully migrated. */
export async function GET() {
  const health = await databaseHealth();
  const ready = isReady(health);
  const pending = health.database === "ok" && health.migrations !== "unknown" ? health.migrations.pending.length : null;
  return Response.json(
    { status: ready ? "ready" : "not ready", database: health.database, pendingMigrations: pending },
    { status: ready ? 200 : 503, headers: noStore },
  );
}
