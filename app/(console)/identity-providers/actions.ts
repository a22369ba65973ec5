"use server";

import { revalidatePath } from "next/cache";
import { tenantAction } from "@/lib/actions/action";
import {
  activateIdentityProvider,
  activateIdpSchema,
  deactivateIdentityProvider,
  deleteIdentityProvider,
  discoverEndpoints,
  discoverySourceSchema,
  idpRefSchema,
  importSamlMetadata,
  samlMetadataSourceSchema,
  saveIdentityProvider,
} from "@/lib/admin/identity-providers";
import type { SamlIdpMetadata } from "@/lib/saml/idp-metadata";
import type { DiscoveredEndpoints } from "@/lib/admin/identity-provider-discovery";
import { idpSchema } from "@/lib/admin/identity-provider-schema";

function refresh() {
  revalidatePath("/identity-providers", "layout");
  revalidatePath("/dashboard");
}

function savedMessage(endpointsChanged: boolean, deactivated: boolean) {
  if (deactivated) return "Identity Provider saved. Its endpoints changed, so it is inactive: run Test sign-in, then activate it again.";
  if (endpointsChanged) return "Identity Provider saved. Its endpoints changed: run Test sign-in again before activating.";
  return "Identity Provider saved";
}

export const saveIdpAction = tenantAction(
  idpSchema,
  async (input, ctx) => {
    const saved = await saveIdentityProvider(input, ctx.actor);
    if (saved.created) revalidatePath("/identity-providers");
    else revalidatePath("/identity-providers", "layout");
    revalidatePath("/dashboard");
    return { data: { id: saved.id }, message: savedMessage(saved.endpointsChanged, saved.deactivated) };
  },
  { action: "idp.saved" },
);

export const activateIdpAction = tenantAction(
  activateIdpSchema,
  async (input, ctx) => {
    await activateIdentityProvider(input, ctx.actor);
    refresh();
    return { message: "Identity Provider activated" };
  },
  { action: "idp.activated" },
);

export const deactivateIdpAction = tenantAction(
  idpRefSchema,
  async (input, ctx) => {
    await deactivateIdentityProvider(input.tenantId, input.idpId, ctx.actor);
    refresh();
    return { message: "Identity Provider deactivated" };
  },
  { action: "idp.deactivated" },
);

export const deleteIdpAction = tenantAction(
  idpRefSchema,
  async (input, ctx) => {
    await deleteIdentityProvider(input.tenantId, input.idpId, ctx.actor);
    refresh();
    return { message: "Identity Provider deleted" };
  },
  { action: "idp.deleted" },
);

/** Reads a provider's discovery document; writers only, since it makes the server fetch a URL. */
export const discoverIdpAction = tenantAction(
  discoverySourceSchema,
  async (input): Promise<{ data: DiscoveredEndpoints; message: string }> => ({
    data: await discoverEndpoints(input.source),
    message: "Endpoints imported from discovery — review and save",
  }),
  { action: "idp.discovered" },
);

/** Reads a SAML IdP's federation metadata (URL fetched by the server, or the uploaded file); writers only. */
export const importSamlMetadataAction = tenantAction(
  samlMetadataSourceSchema,
  async (input): Promise<{ data: SamlIdpMetadata; message: string }> => ({
    data: await importSamlMetadata(input),
    message: "Imported from the federation metadata — review and save",
  }),
  { action: "idp.metadata_imported" },
);
