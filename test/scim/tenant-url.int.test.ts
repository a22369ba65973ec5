import { afterEach, describe, expect, it } from "vitest";
import { setupTestDatabase, testDriver } from "../harness";
import { createScimTenant, scimClient } from "./client";
import { resetEnvCache } from "@/lib/env";
import { publicOrigin } from "@/lib/auth/origin";
import { scimTenantUrl } from "@/app/(console)/_lib/scope";

setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

// lib/origin.ts: one public-origin rule for SCIM's meta.location and the console's Tenant URL.
describe(`SCIM meta.location and the console's Tenant URL agree (${testDriver()})`, () => {
  const saved = process.env.APP_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.APP_URL;
    else process.env.APP_URL = saved;
    resetEnvCache();
  });

  it("when APP_URL carries a path", async () => {
    process.env.APP_URL = "https://id.example.com/gatehouse/";
    resetEnvCache();
    const { tenant, token } = await createScimTenant();
    const scim = scimClient(tenant.id, token, "http://internal:3000");
    const created = await scim.post("/Users", { schemas: [USER], userName: "located@example.com" });
    expect(created.status).toBe(201);
    const tenantUrl = scimTenantUrl(await publicOrigin(), tenant.id);
    expect(tenantUrl).toBe(`https://id.example.com/scim/v2/${tenant.id}`);
    expect(created.body.meta.location).toBe(`${tenantUrl}/Users/${created.body.id}`);
    expect(created.headers.get("location")).toBe(`${tenantUrl}/Users/${created.body.id}`);
    const config = await scim.get("/ServiceProviderConfig");
    expect(config.body.meta.location).toBe(`${tenantUrl}/ServiceProviderConfig`);
  });

  it("when APP_URL is unset: both take the request's origin", async () => {
    delete process.env.APP_URL;
    resetEnvCache();
    const { tenant, token } = await createScimTenant();
    const scim = scimClient(tenant.id, token, "https://proxy.example.net");
    const created = await scim.post("/Users", { schemas: [USER], userName: "unset@example.com" });
    expect(created.body.meta.location).toBe(`${scimTenantUrl("https://proxy.example.net", tenant.id)}/Users/${created.body.id}`);
  });
});
