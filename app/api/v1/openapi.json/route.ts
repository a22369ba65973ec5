import { openApiDocument } from "@/lib/api/openapi";

// The API's description is public (no key): it is the same for every tenant and names no data.
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
