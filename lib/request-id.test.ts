import { describe, expect, it } from "vitest";
import { currentRequestId, requestContext, requestIdFrom, withRequestId } from "./request-id";

describe("request ids", () => {
  it("keeps a short plain id from upstream and replaces anything else", () => {
    expect(requestIdFrom(new Headers({ "x-request-id": "lb-01:7f.a_b" }))).toBe("lb-01:7f.a_b");
    for (const forged of ["two words", "quote\"d", "x".repeat(101), ""]) {
      expect(requestIdFrom(new Headers({ "x-request-id": forged }))).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFrom(new Headers())).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a wrapped route handler runs in its request's context and answers with its id", async () => {
    const seen: (string | undefined)[] = [];
    const handler = withRequestId(async (_request: Request) => {
      seen.push(requestContext()?.requestId, await currentRequestId());
      return new Response("ok");
    });
    const response = await handler(new Request("http://gatehouse.test/api/auth/session", { headers: { "x-request-id": "upstream-1" } }));
    expect(response.headers.get("x-request-id")).toBe("upstream-1");
    expect(seen).toEqual(["upstream-1", "upstream-1"]);
    const redirect = await withRequestId(async () => Response.redirect("http://gatehouse.test/login", 302))(new Request("http://gatehouse.test/x"));
    expect(redirect.status).toBe(302);
  });

  it("outside any request there is no id (CLI, jobs)", async () => {
    expect(requestContext()).toBeUndefined();
    expect(await currentRequestId()).toBeUndefined();
  });
});
