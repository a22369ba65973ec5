import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { createScimTenant, routeParams } from "@/test/scim/client";
import { handlers } from "@/lib/auth/config";
import { AUTH_BODY_LIMIT_BYTES } from "@/lib/auth/route-handlers";
import { MAX_PAYLOAD_BYTES } from "@/lib/scim/discovery";
import { scimEndpoints } from "@/lib/scim-server/endpoints";

// M-7: a body is refused with 413 while it streams. The generated body never ends, and
// counts what the handler pulled: a handler that buffered it would never answer.
setupTestDatabase();

const CHUNK = 16 * 1024;

function endlessBody() {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      counter.pulled += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
    },
  });
  return { stream, counter };
}

const post = (url: string, body: ReadableStream<Uint8Array> | null, headers: Record<string, string>) =>
  new NextRequest(url, { method: "POST", body, headers, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);

describe(`M-7: /api/auth/* caps the request body while streaming (${testDriver()})`, () => {
  it("refuses an endless form_post with 413 after reading at most the limit", async () => {
    const { stream, counter } = endlessBody();
    const response = await handlers.POST(post("http://localhost:3000/api/auth/signout", stream, { "content-type": "application/x-www-form-urlencoded" }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "payload_too_large", message: expect.stringContaining(String(AUTH_BODY_LIMIT_BYTES)) });
    expect(counter.pulled).toBeLessThanOrEqual(AUTH_BODY_LIMIT_BYTES + 2 * CHUNK);
  });

  it("refuses a declared 4 GB Content-Length before reading a byte", async () => {
    const { stream, counter } = endlessBody();
    const response = await handlers.POST(
      post("http://localhost:3000/api/auth/callback/idp-00000000-0000-4000-8000-000000000000", stream, {
        "content-type": "application/x-www-form-urlencoded",
        "content-length": String(4 * 1024 ** 3),
      }),
    );
    expect(response.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(CHUNK);
  });

  it("still takes a small sign-out body", async () => {
    const body = new Blob(["csrfToken=x"]).stream();
    const response = await handlers.POST(post("http://localhost:3000/api/auth/signout", body, { "content-type": "application/x-www-form-urlencoded" }));
    expect(response.status).toBeLessThan(500);
    expect(response.status).not.toBe(413);
  });
});

describe("M-7: SCIM bodies (RFC 7644 §3.12 error for 413)", () => {
  it("refuses an endless POST /Users with a SCIM 413 after reading at most the limit", async () => {
    const { tenant, token } = await createScimTenant();
    const { stream, counter } = endlessBody();
    const url = `http://gatehouse.test/scim/v2/${tenant.id}/Users`;
    const response = await scimEndpoints.POST(post(url, stream, { authorization: `Bearer ${token}`, "content-type": "application/scim+json" }), {
      params: Promise.resolve(routeParams(new URL(url).pathname, tenant.id)),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/scim+json");
    expect(await response.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "413" });
    expect(counter.pulled).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES + 2 * CHUNK);
  });
});
