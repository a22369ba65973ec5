import { desc } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import type { Viewer } from "@/lib/auth/roles";
import type { TenantActionContext } from "./action";
import { current } from "@/test/console/viewer-guards";

// The guards read the Auth.js session; here the viewer is set by each test instead.
vi.mock("@/lib/auth/guards", async () => (await import("@/test/console/viewer-guards")).viewerGuards);

const { ActionError, platformAction, tenantAction } = await import("./action");
const { recordAdminEvent } = await import("@/lib/admin/audit");

const database = setupTestDatabase();

const base = { name: null, email: "someone@example.test", userName: "someone@example.test" };
const viewers = {
  platformAdmin: { ...base, userId: "00000000-0000-0000-0000-000000000001", tenantId: null, platformRole: "platform_admin", tenantRole: null },
  platformReadOnly: { ...base, userId: "00000000-0000-0000-0000-000000000002", tenantId: null, platformRole: "read_only", tenantRole: null },
} satisfies Record<string, Viewer>;

describe(`console action wrapper (${testDriver()})`, () => {
  let tenantId: string;
  const handler = vi.fn(async (input: { tenantId: string; name: string }, ctx: TenantActionContext) => {
    await recordAdminEvent(ctx.actor, { tenantId: input.tenantId, action: "test.renamed" });
    return { message: `saved ${input.name}` };
  });
  const rename = tenantAction(z.object({ tenantId: z.uuid(), name: z.string().min(2, "Too short"), secret: z.string().optional() }), handler, {
    action: "test.renamed",
  });

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "Tailspin", slug: "tailspin" })).id;
  });
  beforeEach(() => {
    handler.mockClear();
  });

  const lastEvent = async () => (await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(1))[0];

  it("answers per-field errors and echoes non-secret values, without running the handler", async () => {
    current.viewer = viewers.platformAdmin;
    const form = new FormData();
    form.set("tenantId", tenantId);
    form.set("name", "x");
    form.set("secret", "hunter2-hunter2");
    const state = await rename(null, form);
    expect(state).toMatchObject({ ok: false, fieldErrors: { name: "Too short" } });
    expect(state.values).toEqual({ tenantId, name: "x" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("runs for a writer and hands the handler the viewer as actor", async () => {
    current.viewer = viewers.platformAdmin;
    const state = await rename(null, { tenantId, name: "Tailspin Toys" });
    expect(state).toMatchObject({ ok: true, message: "saved Tailspin Toys" });
    expect(await lastEvent()).toMatchObject({ tenantId, action: "test.renamed", outcome: "success", actorType: "admin", actorId: viewers.platformAdmin.userId });
  });

  it("refuses read-only viewers, records the refusal, and never runs the handler", async () => {
    current.viewer = viewers.platformReadOnly;
    const state = await rename(null, { tenantId, name: "Tailspin Toys" });
    expect(state).toMatchObject({ ok: false, error: "You do not have permission to do that." });
    expect(handler).not.toHaveBeenCalled();
    expect(await lastEvent()).toMatchObject({ tenantId, action: "test.renamed", outcome: "failure", details: { reason: "forbidden" } });
  });

  it("refuses a tenant admin acting on another tenant", async () => {
    current.viewer = { ...base, userId: "00000000-0000-0000-0000-000000000003", tenantId: "00000000-0000-0000-0000-00000000dead", platformRole: null, tenantRole: "tenant_admin" };
    const state = await rename(null, { tenantId, name: "Hijacked" });
    expect(state.ok).toBe(false);
    expect(handler).not.toHaveBeenCalled();
  });

  it("turns an ActionError into a form error and platform actions refuse tenant admins", async () => {
    current.viewer = viewers.platformAdmin;
    const failing = platformAction(z.object({ slug: z.string() }), async () => {
      throw new ActionError("That slug is taken.", { slug: "Taken" });
    });
    expect(await failing(null, { slug: "a" })).toMatchObject({ ok: false, error: "That slug is taken.", fieldErrors: { slug: "Taken" } });
    current.viewer = { ...base, userId: "00000000-0000-0000-0000-000000000004", tenantId, platformRole: null, tenantRole: "tenant_admin" };
    expect(await failing(null, { slug: "a" })).toMatchObject({ ok: false, error: "You do not have permission to do that." });
  });
});
