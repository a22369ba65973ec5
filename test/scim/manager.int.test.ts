import { randomUUID } from "node:crypto";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";
import { findUsersByIds } from "@/lib/db/queries/users";
import { users } from "@/lib/db/schema";
import { ScimAttributes } from "@/app/(console)/users/_components/scim-attributes";
import { managerIdOf } from "@/lib/scim/resources/user";

const database = setupTestDatabase();

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const withManager = (userName: string, manager: string) => ({ schemas: [USER, ENTERPRISE], userName, [ENTERPRISE]: { manager: { value: manager } } });

/** What the console's user page shows for the stored document (it resolves the manager at read time). */
async function managerShown(tenantId: string, doc: Record<string, unknown>) {
  const id = managerIdOf(doc);
  const [found] = id ? await findUsersByIds(tenantId, [id]) : [];
  const manager = found ? { id: found.id, label: found.name ?? found.userName } : null;
  return renderToStaticMarkup(createElement(ScimAttributes, { doc, manager }));
}

describe("Entra sends a manager before the manager is provisioned", () => {
  it("creates and patches the user anyway, storing the reference", async () => {
    const { scim } = await createScimTenant();
    const early = randomUUID();
    const created = await scim.post("/Users", withManager("report@example.com", early));
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE].manager.value).toBe(early);
    const later = randomUUID();
    const patched = await scim.patch(`/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: `${ENTERPRISE}:manager`, value: later }] });
    expect(patched.status).toBe(200);
    expect(patched.body[ENTERPRISE].manager.value).toBe(later);
    const replaced = await scim.put(`/Users/${created.body.id}`, withManager("report@example.com", early));
    expect(replaced.status).toBe(200);
    expect((await scim.get(`/Users/${created.body.id}`)).body[ENTERPRISE].manager.value).toBe(early);
  });

  it("shows the reference as unresolved in the console, and resolves it once a user with that id exists", async () => {
    const { tenant, scim } = await createScimTenant();
    const managerId = randomUUID();
    const created = await scim.post("/Users", withManager("waiting@example.com", managerId));
    const doc = (await database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, created.body.id) }))!.scim as Record<string, unknown>;
    const before = await managerShown(tenant.id, doc);
    expect(before).toContain(managerId);
    expect(before).toContain("Not provisioned yet");
    await database.db.insert(users).values({ id: managerId, tenantId: tenant.id, userName: "boss@example.com", userNameNormalized: "boss@example.com", name: "The Boss", source: "scim", loginMethod: "sso" });
    const after = await managerShown(tenant.id, doc);
    expect(after).toContain(`href="/users/${managerId}"`);
    expect(after).toContain("The Boss");
    expect(after).not.toContain("Not provisioned yet");
  });

  it("never resolves a manager id of another tenant, and still refuses a user as their own manager", async () => {
    const { tenant, scim } = await createScimTenant();
    const other = await createScimTenant();
    const foreign = await other.scim.post("/Users", { schemas: [USER], userName: "foreign@example.com" });
    const worker = await scim.post("/Users", withManager("worker@example.com", foreign.body.id));
    expect(worker.status).toBe(201);
    const doc = (await database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.id, worker.body.id) }))!.scim as Record<string, unknown>;
    const shown = await managerShown(tenant.id, doc);
    expect(shown).toContain("Not provisioned yet");
    expect(shown).not.toContain("foreign@example.com");
    const self = await scim.patch(`/Users/${worker.body.id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: `${ENTERPRISE}:manager`, value: worker.body.id }] });
    expect(self.status).toBe(400);
    expect(self.body.scimType).toBe("invalidValue");
  });
});
