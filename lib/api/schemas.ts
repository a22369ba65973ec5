import { z } from "zod";

// The API's shapes: each validates what a handler answers (lib/api/route.ts) and is a named
// component of the OpenAPI document (lib/api/openapi.ts).

export const uuidParam = (description: string) =>
  z
    .string()
    // Both letter cases, spelled out: a regex flag does not reach the document's `pattern`.
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "Must be a UUID")
    .transform((id) => id.toLowerCase())
    .meta({ description, example: "3f0c2a9e-8c1e-4f5b-9d2a-6b7c8d9e0f1a" });

const timestamp = z.iso.datetime({ offset: true }).meta({ description: "RFC 3339 timestamp" });

export const consoleRoleSchema = z
  .enum(["platform_admin", "tenant_admin", "read_only"])
  .nullable()
  .meta({ id: "ConsoleRole", description: "The Gatehouse console role the user holds (direct, from SCIM roles or from a mapped group)" });

export const userSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid().nullable(),
    userName: z.string(),
    externalId: z.string().nullable().meta({ description: "The identity provider's id (Entra: the object id or mailNickname)" }),
    name: z.string().nullable(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    email: z.string().nullable(),
    active: z.boolean(),
    source: z.enum(["scim", "local"]),
    roles: z.array(z.string()).meta({ description: "The values of the user's SCIM `roles` attribute" }),
    lastSignInAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "User" });

export const groupRefSchema = z.object({ id: z.uuid(), displayName: z.string(), externalId: z.string().nullable() }).meta({ id: "GroupRef" });

export const userDetailSchema = userSchema
  .extend({ consoleRole: consoleRoleSchema, groups: z.array(groupRefSchema) })
  .meta({ id: "UserDetail" });

export const groupSchema = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    displayName: z.string(),
    externalId: z.string().nullable(),
    source: z.enum(["scim", "local"]),
    memberCount: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Group" });

export const memberSchema = z
  .object({
    id: z.uuid(),
    userName: z.string(),
    externalId: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    active: z.boolean(),
    addedAt: timestamp,
  })
  .meta({ id: "GroupMember" });

export const tenantRefSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).meta({ id: "TenantRef" });
