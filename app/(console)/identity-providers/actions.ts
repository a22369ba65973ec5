"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ActionError, formBoolean, isUniqueViolation, tenantAction } from "@/lib/actions/action";
import { encryptSecret } from "@/lib/crypto/secret-box";
import {
  createIdentityProvider,
  deleteIdentityProvider,
  findIdentityProviderTenantId,
  getIdentityProvider,
  setIdentityProviderStatus,
  updateIdentityProvider,
  type IdentityProviderValues,
} from "@/lib/db/queries/identity-providers";
import { discover, DiscoveryError, type DiscoveredEndpoints } from "./discovery";
import { hasRecentPassingTest } from "./activation";
import { endpointChanges, SECRET_REQUIRED_FOR_ENDPOINTS } from "./endpoint-changes";
import { idpSchema, type IdpInput } from "./schemas";

function columns(input: IdpInput): IdentityProviderValues {
  return {
    type: input.type,
    name: input.name,
    description: input.description ?? null,
    authMethod: input.authMethod,
    clientId: input.clientId,
    authorizationUrl: input.authorizationUrl,
    tokenUrl: input.tokenUrl,
    jwksUrl: input.jwksUrl,
    usernameAttribute: input.usernameAttribute,
    issuer: input.issuer ?? null,
    userinfoUrl: input.userinfoUrl ?? null,
    secureJwks: input.secureJwks,
    logoutUrl: input.logoutUrl ?? null,
    resource: input.resource ?? null,
    audience: input.audience ?? null,
    displayNameAttribute: input.displayNameAttribute ?? null,
    grantType: input.grantType,
    scopes: input.scopes,
    buttonLabel: input.buttonLabel ?? null,
    pkce: input.pkce,
  };
}

const ID_TAKEN = "This form was already saved once. Reload the page to add another identity provider.";
const GONE = "This identity provider no longer exists.";

function savedMessage(endpointsChanged: boolean, deactivated: boolean) {
  if (deactivated) return "Identity Provider saved. Its endpoints changed, so it is inactive: run Test sign-in, then activate it again.";
  if (endpointsChanged) return "Identity Provider saved. Its endpoints changed: run Test sign-in again before activating.";
  return "Identity Provider saved";
}

/** Audit details: what changed, never the secret (only whether it was replaced). */
function summary(input: IdpInput) {
  const { clientSecret, ...rest } = columns(input) as IdentityProviderValues & { clientSecret?: string };
  void clientSecret;
  return { ...rest, secretReplaced: Boolean(input.clientSecret) };
}

export const saveIdpAction = tenantAction(
  idpSchema,
  async (input, ctx) => {
    const clientSecretEnc = input.clientSecret ? encryptSecret(input.clientSecret) : undefined;
    if (!input.idpId) {
      const id = input.newIdpId!;
      // Another tenant's provider with this id is answered like our own: nothing about it leaks.
      if (await findIdentityProviderTenantId(id)) throw new ActionError(ID_TAKEN, { newIdpId: ID_TAKEN });
      let row;
      try {
        row = await createIdentityProvider(input.tenantId, { ...columns(input), id, clientSecretEnc });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ActionError(ID_TAKEN, { newIdpId: ID_TAKEN });
        throw error;
      }
      await ctx.audit({ action: "idp.created", targetType: "identity_provider", targetId: row.id, targetLabel: row.name, details: summary(input) });
      revalidatePath("/identity-providers");
      revalidatePath("/dashboard");
      return { data: { id: row.id }, message: "Identity Provider saved" };
    }
    const saved = await getIdentityProvider(input.tenantId, input.idpId);
    if (!saved) throw new ActionError(GONE);
    const changes = endpointChanges(saved, columns(input));
    if (changes.length && !input.clientSecret) {
      throw new ActionError(SECRET_REQUIRED_FOR_ENDPOINTS, { clientSecret: SECRET_REQUIRED_FOR_ENDPOINTS });
    }
    const row = await updateIdentityProvider(
      input.tenantId,
      input.idpId,
      { ...columns(input), clientSecretEnc },
      { endpointsChanged: changes.length > 0, issuerChanged: changes.some((c) => c.field === "issuer") },
    );
    if (!row) throw new ActionError(GONE);
    const retest = changes.length ? { endpointChanges: changes, deactivated: row.deactivated, bindingsRemoved: row.bindingsRemoved } : {};
    await ctx.audit({ action: "idp.updated", targetType: "identity_provider", targetId: row.id, targetLabel: row.name, details: { ...summary(input), ...retest } });
    revalidatePath("/identity-providers", "layout");
    revalidatePath("/dashboard");
    return { data: { id: row.id }, message: savedMessage(changes.length > 0, row.deactivated) };
  },
  { action: "idp.saved" },
);

const idpRef = z.object({ tenantId: z.uuid(), idpId: z.uuid() });

export const activateIdpAction = tenantAction(
  idpRef.extend({ force: formBoolean.optional() }),
  async (input, ctx) => {
    const idp = await getIdentityProvider(input.tenantId, input.idpId);
    if (!idp) throw new ActionError("This identity provider no longer exists.");
    if (!idp.hasClientSecret) throw new ActionError("Add the client secret and save before activating.");
    const tested = hasRecentPassingTest(idp);
    if (!tested && !input.force) {
      throw new ActionError("Run a successful Test sign-in first (within the last 24 hours), or choose “Activate anyway”.");
    }
    await setIdentityProviderStatus(input.tenantId, idp.id, "active");
    await ctx.audit({
      action: "idp.activated",
      targetType: "identity_provider",
      targetId: idp.id,
      targetLabel: idp.name,
      details: { withoutRecentTest: !tested, lastTestedAt: idp.lastTestedAt?.toISOString() ?? null, lastTestOk: idp.lastTestOk ?? null },
    });
    revalidatePath("/identity-providers", "layout");
    revalidatePath("/dashboard");
    return { message: "Identity Provider activated" };
  },
  { action: "idp.activated" },
);

export const deactivateIdpAction = tenantAction(
  idpRef,
  async (input, ctx) => {
    const row = await setIdentityProviderStatus(input.tenantId, input.idpId, "inactive");
    if (!row) throw new ActionError("This identity provider no longer exists.");
    await ctx.audit({ action: "idp.deactivated", targetType: "identity_provider", targetId: row.id, targetLabel: row.name });
    revalidatePath("/identity-providers", "layout");
    revalidatePath("/dashboard");
    return { message: "Identity Provider deactivated" };
  },
  { action: "idp.deactivated" },
);

export const deleteIdpAction = tenantAction(
  idpRef,
  async (input, ctx) => {
    const row = await deleteIdentityProvider(input.tenantId, input.idpId);
    if (!row) throw new ActionError("This identity provider no longer exists.");
    await ctx.audit({ action: "idp.deleted", targetType: "identity_provider", targetId: row.id, targetLabel: row.name });
    revalidatePath("/identity-providers", "layout");
    revalidatePath("/dashboard");
    return { message: "Identity Provider deleted" };
  },
  { action: "idp.deleted" },
);

/** Reads a provider's discovery document; writers only, since it makes the server fetch a URL. */
export const discoverIdpAction = tenantAction(
  z.object({ tenantId: z.uuid(), source: z.string().trim().min(1, "Paste an issuer URL, a .well-known URL or an Entra directory (tenant) ID").max(500) }),
  async (input): Promise<{ data: DiscoveredEndpoints; message: string }> => {
    try {
      return { data: await discover(input.source), message: "Endpoints imported from discovery — review and save" };
    } catch (error) {
      if (error instanceof DiscoveryError) throw new ActionError(error.message, { source: error.message });
      throw error;
    }
  },
);
