import "server-only";
import { notFound } from "../scim/errors";
import type { JsonObject } from "../scim/json";
import { applyPatch, memberChangesOf, parsePatchRequest, type MemberChange } from "../scim/patch";
import { groupColumns, parseGroupInput, toScimGroup } from "../scim/resources/group";
import type { ScimDocument } from "../scim/resources/document";
import {
  addGroupMembers,
  deleteScimGroup,
  getScimGroup,
  insertScimGroup,
  lockScimGroup,
  removeGroupMembers,
  updateScimGroup,
  type ScimGroupRow,
} from "../db/queries/scim-groups";
import { recordAudit } from "../db/queries/audit";
import { getDb, type Db } from "../db/client";
import type { ScimContext } from "./route";
import { checkIfMatch } from "./etag";
import { inTransaction } from "./transaction";
import { summarizeOperations, writeEvent } from "./audit";
import { groupEvent, recordEvents } from "../events";

const GROUP_CONFLICT = (constraint: string) =>
  constraint.includes("external_id") ? "A group with this externalId already exists" : "A group with this displayName already exists";

export function renderGroup(row: ScimGroupRow, ctx: ScimContext): JsonObject {
  return toScimGroup(row.doc as ScimDocument, {
    id: row.id,
    created: row.createdAt,
    lastModified: row.updatedAt,
    version: row.version,
    location: `${ctx.baseUrl}/Groups/${row.id}`,
    members: (row.members ?? []).map((m) => ({
      value: m.value,
      ...(m.display ? { display: m.display } : {}),
      $ref: `${ctx.baseUrl}/Users/${m.value}`,
      type: "User" as const,
    })),
  });
}

async function applyMemberChanges(tx: Db, ctx: ScimContext, groupId: string, changes: MemberChange[]) {
  for (const change of changes) {
    const result =
      change.op === "add"
        ? await addGroupMembers(tx, ctx.tenantId, groupId, change.ids)
        : change.op === "remove"
          ? await removeGroupMembers(tx, ctx.tenantId, groupId, change.ids)
          : change.op === "removeAll"
            ? await removeGroupMembers(tx, ctx.tenantId, groupId, "all")
            : await replaceMembers(tx, ctx, groupId, change.ids);
    if ("notFound" in result && result.notFound) throw notFound("Group", groupId);
  }
}

/** A PUT's member list: members not in it leave, new ones join; those in both stay (no events). */
async function replaceMembers(tx: Db, ctx: ScimContext, groupId: string, ids: string[]) {
  const removed = await removeGroupMembers(tx, ctx.tenantId, groupId, { except: ids });
  if ("notFound" in removed && removed.notFound) return removed;
  return addGroupMembers(tx, ctx.tenantId, groupId, ids);
}

export async function createGroup(ctx: ScimContext, body: unknown) {
  const { doc, memberIds } = parseGroupInput(body);
  const columns = groupColumns(doc);
  const id = await inTransaction(async (tx) => {
    const row = await insertScimGroup(tx, ctx.tenantId, doc, columns);
    // Before the members, so a reader sees the group created before anyone joins it.
    await recordEvents(tx, [groupEvent("group.created", ctx.tenantId, { id: row.id, ...scimGroupFacts(columns) })]);
    if (memberIds.length) await addGroupMembers(tx, ctx.tenantId, row.id, memberIds);
    await recordAudit(writeEvent(ctx, "scim.group.create", row.id, columns.displayName, { displayName: columns.displayName, members: memberIds.length }), tx);
    return row.id;
  }, GROUP_CONFLICT);
  return (await getScimGroup(ctx.tenantId, id))!;
}

export async function replaceGroup(ctx: ScimContext, request: Request, groupId: string, body: unknown) {
  const { doc, memberIds } = parseGroupInput(body);
  const columns = groupColumns(doc);
  await inTransaction(async (tx) => {
    const current = await lockScimGroup(tx, ctx.tenantId, groupId);
    if (!current) throw notFound("Group", groupId);
    checkIfMatch(request, current.version);
    await updateScimGroup(tx, ctx.tenantId, groupId, doc, columns);
    await recordEvents(tx, [groupEvent("group.updated", ctx.tenantId, { id: groupId, ...scimGroupFacts(columns) })]);
    await replaceMembers(tx, ctx, groupId, memberIds);
    await recordAudit(writeEvent(ctx, "scim.group.replace", groupId, columns.displayName, { members: memberIds.length }), tx);
  }, GROUP_CONFLICT);
  return (await getScimGroup(ctx.tenantId, groupId))!;
}

/**
 * RFC 7644 §3.5.2 PATCH of a Group, by one of three paths:
 * 1. one `members` add or remove, no If-Match (Entra's every membership sync): one statement
 *    writes the member rows, the count, the version and the audit row; no transaction;
 * 2. only `members` operations, no If-Match: the changes in one transaction, in order, with
 *    no read of the group document;
 * 3. anything else: lock the group, check If-Match (§3.14), apply the operations to its
 *    document, then write the document, the member changes and the audit row together.
 * Member changes are always single-row writes, never a rewrite of the member list.
 */
export async function patchGroup(ctx: ScimContext, request: Request, groupId: string, body: unknown) {
  const operations = parsePatchRequest(body);
  const summary = { operations: summarizeOperations(operations) };
  const memberChanges = request.headers.get("if-match") ? undefined : memberChangesOf(operations);
  if (memberChanges) {
    const event = writeEvent(ctx, "scim.group.members", groupId, "", { ...summary, changes: memberChanges.map(countChange) });
    const [only] = memberChanges;
    if (memberChanges.length === 1 && (only.op === "add" || only.op === "remove")) {
      // The common Entra shape: one statement, membership and audit row together.
      const db = await getDb();
      const result = only.op === "add"
        ? await addGroupMembers(db, ctx.tenantId, groupId, only.ids, event)
        : await removeGroupMembers(db, ctx.tenantId, groupId, only.ids, event);
      if ("notFound" in result && result.notFound) throw notFound("Group", groupId);
      return;
    }
    await inTransaction(async (tx) => {
      await applyMemberChanges(tx, ctx, groupId, memberChanges);
      await recordAudit(event, tx);
    }, GROUP_CONFLICT);
    return;
  }
  await inTransaction(async (tx) => {
    const current = await lockScimGroup(tx, ctx.tenantId, groupId);
    if (!current) throw notFound("Group", groupId);
    checkIfMatch(request, current.version);
    const { doc, memberChanges } = applyPatch(current.doc as ScimDocument, operations, "Group");
    const columns = groupColumns(doc);
    await updateScimGroup(tx, ctx.tenantId, groupId, doc, columns);
    await recordEvents(tx, [groupEvent("group.updated", ctx.tenantId, { id: groupId, ...scimGroupFacts(columns) })]);
    await applyMemberChanges(tx, ctx, groupId, memberChanges);
    await recordAudit(writeEvent(ctx, "scim.group.update", groupId, columns.displayName, { ...summary, changes: memberChanges.map(countChange) }), tx);
  }, GROUP_CONFLICT);
}

const scimGroupFacts = (columns: ReturnType<typeof groupColumns>) => ({ displayName: columns.displayName, externalId: columns.externalId });

function countChange(change: MemberChange) {
  return change.op === "removeAll" ? { op: "removeAll" } : { op: change.op, count: change.ids.length };
}

export async function deleteGroup(ctx: ScimContext, request: Request, groupId: string) {
  await inTransaction(async (tx) => {
    const current = await lockScimGroup(tx, ctx.tenantId, groupId);
    if (!current) throw notFound("Group", groupId);
    checkIfMatch(request, current.version);
    await deleteScimGroup(tx, ctx.tenantId, groupId);
    const displayName = String((current.doc as ScimDocument).displayName ?? "");
    await recordAudit(writeEvent(ctx, "scim.group.delete", groupId, displayName, null), tx);
    await recordEvents(tx, [groupEvent("group.deleted", ctx.tenantId, { id: groupId, displayName })]);
  }, GROUP_CONFLICT);
}
