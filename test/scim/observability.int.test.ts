import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant, scimClient } from "./client";
import { captureLogs } from "@/lib/log";
import { recordAudit } from "@/lib/db/queries/audit";
import { auditEvents } from "@/lib/db/schema";
import { runInRequestContext } from "@/lib/request-id";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const newUser = (userName: string) => ({ schemas: [USER], userName, active: true, emails: [{ primary: true, value: userName }] });

async function auditRowsOf(tenantId: string) {
  return database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(auditEvents.id);
}

describe("SCIM access log", () => {
  it("logs one line per request with the response's request id, and neither the bearer token nor the query", async () => {
    const { tenant, token, scim } = await createScimTenant();
    await scim.post("/Users", newUser("ann@acme.test"));
    const capture = captureLogs();
    let response;
    try {
      response = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ann@acme.test"')}`);
    } finally {
      capture.restore();
    }
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const lines = capture.records().filter((r) => r.msg === "scim request");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ requestId, tenantId: tenant.id, method: "GET", status: 200, url: `http://gatehouse.test/scim/v2/${tenant.id}/Users` });
    expect(lines[0].ms).toEqual(expect.any(Number));
    expect(lines[0].dbMs).toBeGreaterThan(0);
    const text = capture.lines.join("");
    expect(text).not.toContain(token);
    expect(text).not.toContain("filter");
    expect(text).not.toContain("ann");
  });

  it("keeps a plain request id sent by a load balancer and replaces one that could forge log text", async () => {
    const { scim } = await createScimTenant();
    expect((await scim.get("/Users", { "x-request-id": "lb-7f3a.01" })).headers.get("x-request-id")).toBe("lb-7f3a.01");
    const forged = await scim.get("/Users", { "x-request-id": 'x" level=fatal msg=forged' });
    expect(forged.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs a refused request with its request id and without a tenant id, which only a valid token proves", async () => {
    const { tenant } = await createScimTenant();
    const stranger = scimClient(tenant.id, "not-a-real-token");
    const capture = captureLogs();
    let response;
    try {
      response = await stranger.get("/Users");
    } finally {
      capture.restore();
    }
    expect(response.status).toBe(401);
    const line = capture.records().find((r) => r.msg === "scim request");
    expect(line).toMatchObject({ requestId: response.headers.get("x-request-id"), status: 401 });
    expect(line?.tenantId).toBeUndefined();
    expect(capture.lines.join("")).not.toContain("not-a-real-token");
  });
});

describe("audit rows carry the request id", () => {
  it("a SCIM write's row and a SCIM failure's row name the response's x-request-id", async () => {
    const { tenant, scim } = await createScimTenant();
    const created = await scim.post("/Users", newUser("bob@acme.test"));
    const duplicate = await scim.post("/Users", newUser("bob@acme.test"));
    expect(created.status).toBe(201);
    expect(duplicate.status).toBe(409);
    const rows = await auditRowsOf(tenant.id);
    expect(rows.map((r) => [r.outcome, r.requestId])).toEqual([
      ["success", created.headers.get("x-request-id")],
      ["failure", duplicate.headers.get("x-request-id")],
    ]);
  });

  it("recordAudit fills the id of the request it runs in when the caller named none, and leaves it empty outside one", async () => {
    const { tenant } = await createScimTenant();
    const event = { tenantId: tenant.id, actorType: "system", actorLabel: "test", action: "test.event", outcome: "success" } as const;
    await runInRequestContext("req-audit-1", () => recordAudit(event));
    await recordAudit({ ...event, requestId: "named-by-caller" });
    await recordAudit(event);
    expect((await auditRowsOf(tenant.id)).map((r) => r.requestId)).toEqual(["req-audit-1", "named-by-caller", null]);
  });
});
