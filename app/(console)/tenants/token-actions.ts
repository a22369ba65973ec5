"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { tenantAction } from "@/lib/actions/action";
import { deleteToken, issueToken, revokeToken, tokenNameSchema } from "@/lib/admin/tokens";
import { endOfDayUtc } from "@/lib/admin/token-lifetime";

function refresh(tenantId: string) {
  revalidatePath(`/tenants/${tenantId}`);
  revalidatePath("/dashboard");
}

/** The one action whose answer carries a secret: the token, shown once in its dialog. */
export const generateTokenAction = tenantAction(
  z.object({ tenantId: z.uuid(), name: tokenNameSchema, expiresOn: z.iso.date("Pick an expiry date") }),
  async (input, ctx) => {
    const { row, token } = await issueToken(input.tenantId, { name: input.name, expiresAt: endOfDayUtc(input.expiresOn) }, ctx.actor);
    refresh(input.tenantId);
    return { data: { token, name: row.name, expiresAt: row.expiresAt.toISOString() }, message: "Provisioning token generated" };
  },
  { action: "token.created" },
);

const tokenRefSchema = z.object({ tenantId: z.uuid(), tokenId: z.uuid() });

export const revokeTokenAction = tenantAction(
  tokenRefSchema,
  async (input, ctx) => {
    const { row } = await revokeToken(input.tenantId, input.tokenId, ctx.actor);
    refresh(input.tenantId);
    return { message: `Token “${row.name}” revoked` };
  },
  { action: "token.revoked" },
);

export const deleteTokenAction = tenantAction(
  tokenRefSchema,
  async (input, ctx) => {
    await deleteToken(input.tenantId, input.tokenId, ctx.actor);
    refresh(input.tenantId);
    return { message: "Token deleted" };
  },
  { action: "token.deleted" },
);
