import { z } from "zod";

// RFC 9457 problem details: every /api/v1 error is `application/problem+json` with a `type`
// URN naming the problem, the HTTP status, a short title and a detail the caller can act on.

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export const problemSchema = z
  .object({
    type: z.string().meta({ description: "A URN naming the kind of problem", example: "urn:gatehouse:problem:invalid-request" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().meta({ description: "The request path" }),
    requestId: z.string().optional().meta({ description: "Also in the x-request-id header and the server's logs" }),
    errors: z
      .array(z.object({ name: z.string().meta({ description: "The parameter or body field, e.g. query.limit or body.url" }), reason: z.string() }))
      .optional()
      .meta({ description: "Each invalid parameter or body field (invalid-request only)" }),
    resumeAfter: z
      .string()
      .optional()
      .meta({ description: "gone (410) on the event feed only: after resyncing the directory, read events from `after=<resumeAfter>`" }),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

export type Problem = z.infer<typeof problemSchema>;

export type ProblemCode =
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "invalid-request"
  | "conflict"
  | "payload-too-large"
  | "unsupported-media-type"
  | "rate-limited"
  | "method-not-allowed"
  | "gone"
  | "internal";

const TITLES: Record<ProblemCode, { status: number; title: string }> = {
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  "not-found": { status: 404, title: "Not Found" },
  "invalid-request": { status: 400, title: "Bad Request" },
  conflict: { status: 409, title: "Conflict" },
  "payload-too-large": { status: 413, title: "Content Too Large" },
  "unsupported-media-type": { status: 415, title: "Unsupported Media Type" },
  "rate-limited": { status: 429, title: "Too Many Requests" },
  "method-not-allowed": { status: 405, title: "Method Not Allowed" },
  gone: { status: 410, title: "Gone" },
  internal: { status: 500, title: "Internal Server Error" },
};

/** A refusal with its problem details; thrown anywhere inside apiRoute, answered as problem+json. */
export class ApiProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: { errors?: { name: string; reason: string }[]; headers?: Record<string, string>; resumeAfter?: string } = {},
  ) {
    super(detail);
    this.name = "ApiProblem";
    this.status = TITLES[code].status;
  }
}

export function problemBody(problem: ApiProblem, context: { instance?: string; requestId?: string } = {}): Problem {
  return {
    type: `urn:gatehouse:problem:${problem.code}`,
    title: TITLES[problem.code].title,
    status: problem.status,
    detail: problem.detail,
    ...(context.instance ? { instance: context.instance } : {}),
    ...(context.requestId ? { requestId: context.requestId } : {}),
    ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
    ...(problem.extra.resumeAfter ? { resumeAfter: problem.extra.resumeAfter } : {}),
  };
}

export function problemResponse(problem: ApiProblem, context: { instance?: string; requestId?: string } = {}) {
  const headers: Record<string, string> = { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...problem.extra.headers };
  if (context.requestId) headers["x-request-id"] = context.requestId;
  return new Response(JSON.stringify(problemBody(problem, context)), { status: problem.status, headers });
}

/** A zod failure as a 400 naming each parameter or body field, e.g. `query.limit`, `body.url`. */
export function invalidRequest(where: "path" | "query" | "header" | "body", error: z.ZodError) {
  const unknown = where === "body" ? "Unknown field" : "Unknown parameter";
  const errors = error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ name: [where, ...issue.path.map(String), key].join("."), reason: unknown }))
      : [{ name: [where, ...issue.path.map(String)].join("."), reason: issue.message }],
  );
  return new ApiProblem("invalid-request", errors.map((e) => `${e.name}: ${e.reason}`).join("; "), { errors });
}
