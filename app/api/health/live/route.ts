export const dynamic = "force-dynamic";

/** Liveness without the database (a restart would not bring it back): also the benchmark floor. */
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
