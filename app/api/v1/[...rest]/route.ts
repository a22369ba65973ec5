import { ApiProblem, problemResponse } from "@/lib/api/problem";

// Any other path under /api/v1 is a problem+json 404 naming where the description is, not
// Next.js's HTML page. Not an operation: it is not in the OpenAPI document.
function notFound(request: Request) {
  return problemResponse(new ApiProblem("not-found", "No such endpoint; GET /api/v1/openapi.json lists them"), { instance: new URL(request.url).pathname });
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
