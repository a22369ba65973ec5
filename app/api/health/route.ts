import { build, databaseHealth, isReady, noStore } from "./health-report";

export const dynamic = "force-dynamic";

/** What runs and in which state: version, commit, database and pending migrations (503 unless ready). */
export async function GET() {
  const health = await databaseHealth();
  const ready = isReady(health);
  return Response.json(
    { status: ready ? "ok" : "degraded", ...build(), ...health },
    { status: ready ? 200 : 503, headers: noStore },
  );
}
