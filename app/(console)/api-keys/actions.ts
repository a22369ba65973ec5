"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { platformAction, tenantAction } from "@/lib/actions/action";
import { apiKeyNameSchema, apiKeyScopeSchema, issueApiKey, revokeApiKey } from "@/lib/admin/api-keys";
import { endOfDayUtc } from "@/lib/admin/token-lifetime";

export type CreatedApiKey = { key: string; name: string; scope: string; expiresAt: string };

const createFields = { name: apiKeyNameSchema, scope: apiKeyScopeSchema, expiresOn: z.iso.date("Pick an expiry date") };

/** A tenant's key: the one answer that carries the key, shown once in its dialog. */
export const createTenantApiKeyAction = tenantAction(
  z.object({ tenantId: z.uuid(), ...createFields }),
  async (input, ctx) => {
    const { row, key } = await issueApiKey({ tenantId: input.tenantId }, { name: input.name, scope: input.scope, expiresAt: endOfDayUtc(input.expiresOn) }, ctx.actor);
    revalidatePath(`/tenants/${input.tenantId}/api-keys`);
    return { data: { key, name: row.name, scope: row.scope, expiresAt: row.expiresAt.toISOString() }, message: "API key created" };
  },
  { action: "api_key.created" },
);

export const revokeTenantApiKeyAction = tenantAction(
  z.object({ tenantId: z.uuid(), keyId: z.uuid() }),
  async (input, ctx) => {
    const { row } = await revokeApiKey({ tenantId: input.tenantId }, input.keyId, ctx.actor);
    revalidatePath(`/tenants/${input.tenantId}/api-keys`);
    return { message: `API key “${row.name}” revoked` };
  },
  { action: "api_key.revoked" },
);

/** Platform keys read every tenant: platform admins only. */
export const createPlatformApiKeyAction = platformAction(
  z.object(createFields),
  async (input, ctx) => {
    const { row, key } = await issueApiKey({ tenantId: null, platform: true }, { name: input.name, scope: input.scope, expiresAt: endOfDayUtc(input.expiresOn) }, ctx.actor);
    revalidatePath("/api-keys");
    return { data: { key, name: row.name, scope: row.scope, expiresAt: row.expiresAt.toISOString() }, message: "Platform API key created" };
  },
  { action: "platform_api_key.created" },
);

export const revokePlatformApiKeyAction = platformAction(
  z.object({ keyId: z.uuid() }),
  async (input, ctx) => {
    const { row } = await revokeApiKey({ tenantId: null, platform: true }, input.keyId, ctx.actor);
    revalidatePath("/api-keys");
    return { message: `API key “${row.name}” revoked` };
  },
  { action: "platform_api_key.revoked" },
);
