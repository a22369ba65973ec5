import "server-only";
import { invalidValue, notFound } from "../scim/errors";
import { URN } from "../scim/schemas";
import { isJsonObject, type JsonObject } from "../scim/json";
import { applyPatch, parsePatchRequest } from "../scim/patch";
import { managerIdOf, parseUserInput, toScimUser, userColumns, type ScimDocument } from "../scim/resources/user";
import { tenantSettings } from "../db/queries/tenants";
import { roleFromScimRoles, scimRoleValues } from "../auth/roles";
import {
  adoptLocalUser,
  createScimUser,
  deleteScimUser,
  findLinkableLocalUser,
  insertScimUser,
  lockScimUser,
  updateScimUser,
  type ScimUserRow,
  type WriteRecords,
} from "../db/queries/scim-users";
import type { ScimContext } from "./route";
import { checkIfMatch } from "./etag";
import { inOneStatement, inTransaction } from "./transaction";
import { summarizeOperations, writeEvent } from "./audit";
import { recordAudit } from "../db/queries/audit";
import { recordEvents, recordMembershipsEnding, userChangeType, userEvent, type DirectoryEventInput } from "../events";

// Only userName is unique: externalId is not (RFC 7643 §3.1), Entra re-uses one after a re-hire.
const USER_CONFLICT = () => "A user with this userName already exists";

export function renderUser(row: ScimUserRow, ctx: ScimContext): JsonObject {
  const resource = toScimUser(row.doc as ScimDocument, {
    id: row.id,
    created: row.createdAt,
    lastModified: row.updatedAt,
    version: row.version,
    location: `${ctx.baseUrl}/Users/${row.id}`,
    groups: (row.groups ?? []).map((g) => ({ value: g.value, display: g.display, $ref: `${ctx.baseUrl}/Groups/${g.value}`, type: "direct" })),
  });
  const enterprise = resource[URN.EnterpriseUser];
  if (isJsonObject(enterprise) && isJsonObject(enterprise.manager) && typeof enterprise.manager.value === "string") {
    enterprise.manager = { ...enterprise.manager, $ref: `${ctx.baseUrl}/Users/${enterprise.manager.value}` };
  }
  return resource;
}

/**
 * Entra may send a manager before it provisions the manager, so the reference is stored as
 * sent and resolved when read (the console looks it up within the tenant: ids never link
 * across tenants). Only a user managing themself is refused.
 */
function assertNotOwnManager(doc: ScimDocument, selfId: string) {
  if (managerIdOf(doc) === selfId) throw invalidValue("A user cannot be their own manager");
}

/**
 * SCIM `roles` of admin/enterpriseadmin make the user a console tenant admin (lib/auth/roles):
 * each such grant is audited, since a provisioning token can make one (security review L-2).
 * What a write changes of the role: a `user.role_changed` event, and an audit row for a grant.
 */
function roleRecords(ctx: ScimContext, userId: string, userName: string, before: ScimDocument | undefined, after: ScimDocument): WriteRecords {
  const records: WriteRecords = { audits: [], events: [] };
  const roles = scimRoleValues(after.roles);
  const role = roleFromScimRoles(roles) ?? null;
  const previousRole = before ? (roleFromScimRoles(scimRoleValues(before.roles)) ?? null) : null;
  if (role !== previousRole) records.events.push(userEvent("user.role_changed", ctx.tenantId, { id: userId, userName }, { role, previousRole }));
  if (role === "tenant_admin" && previousRole !== "tenant_admin") {
    records.audits.push(writeEvent(ctx, "scim.user.role_granted", userId, userName, { role: "tenant_admin", roles }));
  }
  return records;
}

function scimUserEvent(type: DirectoryEventInput["type"], ctx: ScimContext, userId: string, columns: ReturnType<typeof userColumns>) {
  return userEvent(type, ctx.tenantId, {
    id: userId,
    userName: columns.userName,
    externalId: columns.externalId,
    name: columns.displayName ?? null,
    email: columns.email ?? null,
    active: columns.active,
    source: "scim",
  });
}

export async function createUser(ctx: ScimContext, body: unknown) {
  const doc = parseUserInput(body);
  const columns = userColumns(doc);
  const linking = tenantSettings(ctx.settings).userLinking;
  if (linking !== "link" && roleFromScimRoles(scimRoleValues(doc.roles)) !== "tenant_admin") {
    // Entra's every create: the user, the tenant's count and the audit row in one statement.
    const event = writeEvent(ctx, "scim.user.create", "", columns.userName, { userName: columns.userName, externalId: columns.externalId });
    const row = await inOneStatement((db) => createScimUser(db, ctx.tenantId, doc, columns, event), USER_CONFLICT);
    return { ...row, groups: [] };
  }
  return inTransaction(async (tx) => {
    const linkable = linking === "link" ? await findLinkableLocalUser(tx, ctx.tenantId, columns) : undefined;
    const row = linkable
      ? await adoptLocalUser(tx, ctx.tenantId, linkable.id, doc, columns)
      : await insertScimUser(tx, ctx.tenantId, doc, columns);
    await recordAudit(writeEvent(ctx, linkable ? "scim.user.link" : "scim.user.create", row.id, columns.userName, { userName: columns.userName, externalId: columns.externalId }), tx);
    // A created user's event is written by its insert; a linked one changes from Local to provisioned.
    if (linkable) await recordEvents(tx, [scimUserEvent("user.updated", ctx, row.id, columns)]);
    const role = roleRecords(ctx, row.id, columns.userName, undefined, doc);
    await recordEvents(tx, role.events);
    for (const audit of role.audits) await recordAudit(audit, tx);
    return { ...row, groups: [] };
  }, USER_CONFLICT);
}

export async function replaceUser(ctx: ScimContext, request: Request, userId: string, body: unknown) {
  const doc = parseUserInput(body);
  const columns = userColumns(doc);
  return inTransaction(async (tx) => {
    const current = await lockScimUser(tx, ctx.tenantId, userId);
    if (!current) throw notFound("User", userId);
    checkIfMatch(request, current.version);
    assertNotOwnManager(doc, userId);
    const role = roleRecords(ctx, userId, columns.userName, current.doc as ScimDocument, doc);
    return updateScimUser(tx, ctx.tenantId, userId, doc, columns, {
      audits: [writeEvent(ctx, "scim.user.replace", userId, columns.userName, { active: columns.active }), ...role.audits],
      events: [scimUserEvent(userChangeType(current, columns), ctx, userId, columns), ...role.events],
    });
  }, USER_CONFLICT);
}

export async function patchUser(ctx: ScimContext, request: Request, userId: string, body: unknown) {
  const operations = parsePatchRequest(body);
  return inTransaction(async (tx) => {
    const current = await lockScimUser(tx, ctx.tenantId, userId);
    if (!current) throw notFound("User", userId);
    checkIfMatch(request, current.version);
    const { doc } = applyPatch(current.doc as ScimDocument, operations, "User");
    const columns = userColumns(doc);
    assertNotOwnManager(doc, userId);
    const action = current.active && !columns.active ? "scim.user.deactivate" : !current.active && columns.active ? "scim.user.reactivate" : "scim.user.update";
    const role = roleRecords(ctx, userId, columns.userName, current.doc as ScimDocument, doc);
    return updateScimUser(tx, ctx.tenantId, userId, doc, columns, {
      audits: [writeEvent(ctx, action, userId, columns.userName, { operations: summarizeOperations(operations) }), ...role.audits],
      events: [scimUserEvent(userChangeType(current, columns), ctx, userId, columns), ...role.events],
    });
  }, USER_CONFLICT);
}

export async function deleteUser(ctx: ScimContext, request: Request, userId: string) {
  await inTransaction(async (tx) => {
    const current = await lockScimUser(tx, ctx.tenantId, userId);
    if (!current) throw notFound("User", userId);
    checkIfMatch(request, current.version);
    await recordMembershipsEnding(tx, ctx.tenantId, userId);
    await deleteScimUser(tx, ctx.tenantId, userId);
    const userName = String((current.doc as ScimDocument).userName ?? "");
    await recordAudit(writeEvent(ctx, "scim.user.delete", userId, userName, null), tx);
    await recordEvents(tx, [userEvent("user.deleted", ctx.tenantId, { id: userId, userName })]);
  }, USER_CONFLICT);
}
