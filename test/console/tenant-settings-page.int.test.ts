import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents, tenants } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import type { Viewer } from "@/lib/auth/roles";
import { current } from "@/test/console/viewer-guards";
import { serializeTree } from "@/test/security/console-session";

// The console's door to the tenant settings: the Settings page and the save action. The guards
// read the Auth.js session; here each test sets the viewer (the permission rules are the real ones).
vi.mock("@/lib/auth/guards", async () => (await import("@/test/console/viewer-guards")).viewerGuards);
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);
vi.mock("next/cache", async () => (await import("@/test/security/console-session")).nextCache);

const { updateTenantAction } = await import("@/app/(console)/tenants/actions");
const { default: TenantSettingsPage } = await import("@/app/(console)/tenants/[tenantId]/settings/page");

const database = setupTestDatabase();

const viewer = (tenantId: string | null, role: Partial<Pick<Viewer, "platformRole" | "tenantRole">>): Viewer => ({
  userId: "00000000-0000-0000-0000-0000000000b1",
  name: null,
  email: "someone@contoso.test",
  userName: "someone@contoso.test",
  tenantId,
  platformRole: null,
  tenantRole: null,
  ...role,
});

describe(`the tenant Settings page and its save (${testDriver()})`, () => {
  let tenantId: string;
  let otherTenantId: string;
  const settingsOf = async () => (await database.db.select().from(tenants).where(eq(tenants.id, tenantId)))[0].settings;
  const form = (values: Record<string, string>) => {
    const data = new FormData();
    const fields = { tenantId, name: "Contoso", slug: "contoso", userLinking: "conflict", defaultTokenDays: "30", ssoMatchBy: "automatic", scimRateLimitPerMinute: "6000", ...values };
    for (const [key, value] of Object.entries(fields)) data.set(key, value);
    return data;
  };

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    otherTenantId = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
  });

  it("a tenant admin saves the SCIM rate limit, and the save is audited", async () => {
    current.viewer = viewer(tenantId, { tenantRole: "tenant_admin" });
    expect(await updateTenantAction(null, form({ scimRateLimitPerMinute: "1200" }))).toMatchObject({ ok: true, message: "Tenant saved" });
    expect((await settingsOf()).scimRateLimitPerMinute).toBe(1200);
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ action: "tenant.updated", actorType: "admin", details: { changes: { scimRateLimitPerMinute: { from: 6000, to: 1200 } } } });
  });

  it("answers an out-of-bounds limit on its field, keeping the typed value, and saves nothing", async () => {
    current.viewer = viewer(tenantId, { tenantRole: "tenant_admin" });
    const state = await updateTenantAction(null, form({ scimRateLimitPerMinute: "5", defaultTokenDays: "0" }));
    expect(state).toMatchObject({
      ok: false,
      fieldErrors: { scimRateLimitPerMinute: "At least 10 requests per minute", defaultTokenDays: "At least 1 day" },
      values: { scimRateLimitPerMinute: "5" },
    });
    expect((await settingsOf()).scimRateLimitPerMinute).toBe(1200);
  });

  it("refuses a read-only viewer and another tenant's admin: write access to this tenant is required", async () => {
    for (const who of [viewer(tenantId, { tenantRole: "read_only" }), viewer(otherTenantId, { tenantRole: "tenant_admin" }), viewer(null, { platformRole: "read_only" })]) {
      current.viewer = who;
      expect(await updateTenantAction(null, form({ scimRateLimitPerMinute: "10" }))).toMatchObject({ ok: false, error: "You do not have permission to do that." });
    }
    expect((await settingsOf()).scimRateLimitPerMinute).toBe(1200);
  });

  it("shows every setting with its current value; read-only viewers see it disabled", async () => {
    current.viewer = viewer(tenantId, { tenantRole: "tenant_admin" });
    const page = await TenantSettingsPage({ params: Promise.resolve({ tenantId }) });
    const text = await serializeTree(page);
    expect(text).toContain("Settings");
    expect(text).toContain("Contoso");
    const props = findFormProps(page);
    expect(props).toMatchObject({
      readOnly: false,
      bounds: { min: 10, max: 1_000_000, entraMinimum: 1_500, default: 6000 },
      tenant: { id: tenantId, scimRateLimitPerMinute: 1200, userLinking: "conflict", jitProvisioning: false, ssoMatchBy: "automatic", defaultTokenDays: 30 },
    });

    current.viewer = viewer(tenantId, { tenantRole: "read_only" });
    expect(findFormProps(await TenantSettingsPage({ params: Promise.resolve({ tenantId }) }))).toMatchObject({ readOnly: true });
  });

  it("is not there for another tenant's admin, nor for a tenant that does not exist", async () => {
    current.viewer = viewer(otherTenantId, { tenantRole: "tenant_admin" });
    await expect(TenantSettingsPage({ params: Promise.resolve({ tenantId }) })).rejects.toThrow();
    current.viewer = viewer(null, { platformRole: "platform_admin" });
    await expect(TenantSettingsPage({ params: Promise.resolve({ tenantId: "00000000-0000-4000-8000-000000000000" }) })).rejects.toMatchObject({
      digest: expect.stringMatching(/404|NOT_FOUND/),
    });
  });
});

/** The props the page hands the settings form (the client component's input). */
function findFormProps(node: unknown): Record<string, unknown> | undefined {
  if (!node || typeof node !== "object") return undefined;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findFormProps(child);
      if (found) return found;
    }
    return undefined;
  }
  const props = (node as { props?: Record<string, unknown> }).props;
  if (!props) return undefined;
  if ("bounds" in props && "tenant" in props) return props;
  return findFormProps(props.children);
}
