import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "../scim/client";
import { apiClient, newKey } from "./client";
import { webhooksClient } from "./webhooks-client";
import { API_OPERATIONS } from "@/lib/api/operations";
import { hashSessionToken } from "@/lib/auth/session-store";
import { sessions } from "@/lib/db/schema";

// The OpenAPI document is generated from the operations the route handlers validate with:
// every route file has its operation in the document, and what the server answers is valid
// against the document's schemas (read back as JSON Schema 2020-12, the dialect OpenAPI 3.1
// uses, by zod's own z.fromJSONSchema: a check of the generated text, not of the zod objects).
const database = setupTestDatabase();

type DocOperation = {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  "x-gatehouse-scope"?: string;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, DocOperation>>; components: { schemas: Record<string, unknown> } };
let doc: Doc;

const ROUTE_ROOT = path.join(process.cwd(), "app/api/v1");

/** Every app/api/v1/**\/route.ts as its OpenAPI path and exported methods. */
function routeFiles() {
  const found: { path: string; methods: string[] }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const rel = path.relative(ROUTE_ROOT, dir).split(path.sep).filter(Boolean);
        const apiPath = "/api/v1/" + rel.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/");
        const methods = [...fs.readFileSync(full, "utf8").matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
        found.push({ path: apiPath, methods });
      }
    }
  };
  walk(ROUTE_ROOT);
  return found;
}

beforeAll(async () => {
  const res = await apiClient(null).get("/openapi.json");
  expect(res.status).toBe(200);
  doc = res.body;
});

describe("GET /api/v1/openapi.json", () => {
  it("is OpenAPI 3.1 with the shared problem schema and the bearer key scheme", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(JSON.stringify(doc)).toContain('"scheme":"bearer"');
  });

  it("documents every route file's methods, from the operation the route validates with", () => {
    // The document itself and the catch-all 404 for unknown paths are not operations.
    const files = routeFiles().filter((f) => f.path !== "/api/v1/openapi.json" && f.path !== "/api/v1/{...rest}");
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      expect(file.methods.length, file.path).toBeGreaterThan(0);
      for (const method of file.methods) {
        const documented = doc.paths[file.path]?.[method.toLowerCase()];
        expect(documented, `${method} ${file.path} is missing from the OpenAPI document`).toBeDefined();
        const operation = API_OPERATIONS.find((o) => o.path === file.path && o.method === method.toLowerCase());
        expect(operation, `${method} ${file.path} has no operation in lib/api/operations.ts`).toBeDefined();
        expect(documented.operationId).toBe(operation!.operationId);
        // Each parameter the schemas accept is a documented parameter.
        const names = (documented.parameters ?? []).map((p) => `${p.in}.${p.name}`).sort();
        const expected = [
          ...Object.keys(operation!.params?.shape ?? {}).map((k) => `path.${k}`),
          ...Object.keys(operation!.query?.shape ?? {}).map((k) => `query.${k}`),
          ...Object.keys(operation!.headers?.shape ?? {}).map((k) => `header.${k}`),
        ].sort();
        expect(names, file.path).toEqual(expected);
        for (const status of [String(operation!.status ?? 200), "400", "401", "429"]) expect(documented.responses[status], `${method} ${file.path} ${status}`).toBeDefined();
        // A request body is documented exactly where the operation parses one; every write needs read-write.
        expect(Boolean(documented.requestBody), `${method} ${file.path} requestBody`).toBe(Boolean(operation!.body));
        if (method !== "GET") expect(documented["x-gatehouse-scope"], `${method} ${file.path}`).toBe("read-write");
      }
    }
    // And nothing documented lacks a route file.
    expect(Object.keys(doc.paths).sort()).toEqual(files.map((f) => f.path).sort());
  });

  it("documents the webhook request bodies from the schemas that parse them", () => {
    const hooks = doc.paths["/api/v1/tenants/{tenantId}/webhooks"];
    const create = hooks.post.requestBody!;
    expect(create.required).toBe(true);
    const schema = create.content["application/json"].schema as { type: string; properties: Record<string, { type?: string; items?: { enum?: string[] } }>; required: string[]; additionalProperties: boolean };
    expect(schema).toMatchObject({ type: "object", additionalProperties: false });
    expect(Object.keys(schema.properties).sort()).toEqual(["description", "eventTypes", "url"]);
    expect(schema.required.sort()).toEqual(["eventTypes", "url"]);
    expect(schema.properties.eventTypes.items?.enum).toContain("user.created");
    expect(Object.keys(hooks.post.responses)).toEqual(expect.arrayContaining(["201", "403", "404", "409", "413", "415"]));
    expect(hooks.post.responses["200"]).toBeUndefined();
    const patch = doc.paths["/api/v1/tenants/{tenantId}/webhooks/{webhookId}"].patch.requestBody!.content["application/json"].schema as { properties: Record<string, unknown>; required?: string[] };
    expect(Object.keys(patch.properties).sort()).toEqual(["description", "enabled", "eventTypes", "url"]);
    expect(patch.required ?? []).toEqual([]);
    const remove = doc.paths["/api/v1/tenants/{tenantId}/webhooks/{webhookId}"].delete;
    expect(remove.responses["204"]).toEqual({ description: "No Content" });
    expect(remove.requestBody).toBeUndefined();
    // A cursor behind the pruned events is a documented 410 on the event feed, and only there.
    expect(doc.paths["/api/v1/events"].get.responses["410"]).toBeDefined();
    expect(hooks.post.responses["410"]).toBeUndefined();
    // The signing secret is in the create answer's schema only.
    const properties = (name: string) => Object.keys((doc.components.schemas[name] as { properties: Record<string, unknown> }).properties);
    expect(properties("Webhook")).not.toContain("secret");
    expect(properties("CreatedWebhook")).toContain("secret");
  });

  it("answers unknown paths under /api/v1 with a 404 problem", async () => {
    const { GET, POST } = await import("@/app/api/v1/[...rest]/route");
    for (const handler of [GET, POST]) {
      const res = handler(new Request("http://gatehouse.test/api/v1/nope/deeper", { method: "GET" }));
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ type: "urn:gatehouse:problem:not-found", instance: "/api/v1/nope/deeper" });
    }
  });

  it("describes what the server answers: real responses validate against the document's schemas", async () => {
    const { tenant, scim } = await createScimTenant();
    const user = await scim.post("/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "doc@example.com", emails: [{ value: "doc@example.com", type: "work" }] });
    const group = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Doc", members: [{ value: user.body.id }] });
    const token = randomBytes(32).toString("base64url");
    await database.db.insert(sessions).values({ sessionToken: hashSessionToken(token), userId: user.body.id, expires: new Date(Date.now() + 3_600_000) });
    const api = apiClient(await newKey({ tenantId: tenant.id }));

    // The document's "#/components/schemas/X" references, as a standalone schema's "#/$defs/X".
    const standalone = (schema: unknown) =>
      JSON.parse(JSON.stringify({ ...(schema as object), $defs: doc.components.schemas }).replaceAll('"#/components/schemas/', '"#/$defs/'));
    const validator = (schema: unknown) => z.fromJSONSchema(standalone(schema));
    const validate = (schema: unknown, body: unknown, label: string) => {
      const check = validator(schema).safeParse(body);
      expect(check.success, `${label}: ${JSON.stringify(check.error?.issues)}`).toBe(true);
    };
    const calls: [string, string, Record<string, string>?][] = [
      ["/api/v1/session", "/session", { "x-gatehouse-session": token }],
      ["/api/v1/tenants/{tenantId}/users", `/tenants/${tenant.id}/users`],
      ["/api/v1/tenants/{tenantId}/users/{userId}", `/tenants/${tenant.id}/users/${user.body.id}`],
      ["/api/v1/tenants/{tenantId}/groups", `/tenants/${tenant.id}/groups`],
      ["/api/v1/tenants/{tenantId}/groups/{groupId}/members", `/tenants/${tenant.id}/groups/${group.body.id}/members`],
    ];
    for (const [documented, url, headers] of calls) {
      const res = await api.get(url, headers);
      expect(res.status, url).toBe(200);
      validate(doc.paths[documented].get.responses["200"].content!["application/json"].schema, res.body, url);
      const unauthorized = await apiClient(null).get(url, headers);
      expect(unauthorized.status, url).toBe(401);
      validate(doc.paths[documented].get.responses["401"].content!["application/problem+json"].schema, unauthorized.body, `${url} 401`);
    }
    // The webhook answers, writes included.
    const hooks = webhooksClient(await newKey({ tenantId: tenant.id }, "read-write"));
    const created = await hooks.post(`/tenants/${tenant.id}/webhooks`, { url: "https://hooks.example.com/gatehouse", eventTypes: ["user.created"] });
    expect(created.status).toBe(201);
    const one = `/tenants/${tenant.id}/webhooks/${created.body.id}`;
    validate(doc.paths["/api/v1/tenants/{tenantId}/webhooks"].post.responses["201"].content!["application/json"].schema, created.body, "create webhook");
    const webhookCalls: [string, "get" | "patch", () => Promise<{ status: number; body: unknown }>][] = [
      ["/api/v1/tenants/{tenantId}/webhooks", "get", () => hooks.get(`/tenants/${tenant.id}/webhooks`)],
      ["/api/v1/tenants/{tenantId}/webhooks/{webhookId}", "get", () => hooks.get(one)],
      ["/api/v1/tenants/{tenantId}/webhooks/{webhookId}", "patch", () => hooks.patch(one, { enabled: false, description: "doc" })],
      ["/api/v1/tenants/{tenantId}/webhooks/{webhookId}/deliveries", "get", () => hooks.get(`${one}/deliveries`)],
    ];
    for (const [documented, method, call] of webhookCalls) {
      const res = await call();
      expect(res.status, `${method} ${documented}`).toBe(200);
      validate(doc.paths[documented][method].responses["200"].content!["application/json"].schema, res.body, `${method} ${documented}`);
    }
    const refused = await hooks.post(`/tenants/${tenant.id}/webhooks`, { url: "https://10.0.0.1/x", eventTypes: [] });
    validate(doc.paths["/api/v1/tenants/{tenantId}/webhooks"].post.responses["400"].content!["application/problem+json"].schema, refused.body, "create webhook 400");

    // A body that breaks the document fails the check (the check can fail).
    const userPage = validator(doc.paths["/api/v1/tenants/{tenantId}/users"].get.responses["200"].content!["application/json"].schema);
    expect(userPage.safeParse({ data: [{ id: 1 }], nextCursor: null }).success).toBe(false);
    expect(userPage.safeParse({ data: [] }).success).toBe(false);
  });
});
