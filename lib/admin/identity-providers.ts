import "server-only";
import { z } from "zod";
import type { Actor } from "../audit";
import { encryptSecret } from "../crypto/secret-box";
import { isUniqueViolation } from "../db/errors";
import {
  createIdentityProvider,
  deleteIdentityProvider as deleteIdentityProviderRow,
  findIdentityProviderTenantId,
  getIdentityProvider,
  setIdentityProviderStatus,
  updateIdentityProvider,
} from "../db/queries/identity-providers";
import { formBoolean } from "../forms";
import { recordAdminEvent } from "./audit";
import { AdminError } from "./errors";
import { discover, DiscoveryError } from "./identity-provider-discovery";
import { endpointChanges, samlChanges, SECRET_REQUIRED_FOR_ENDPOINTS } from "./identity-provider-endpoints";
import { idpColumns } from "./identity-provider-fields";
import { importSamlMetadataFromUrl, importSamlMetadataFromXml } from "./saml-metadata";
import { METADATA_MAX_BYTES } from "../saml/idp-metadata";
import type { IdpInput } from "./identity-provider-schema";

export const TEST_FRESH_MS = 24 * 60 * 60 * 1000;

/** Activation is safe to confirm normally only after a Test sign-in passed in the last 24 hours. */
export function hasRecentPassingTest(idp: { lastTestedAt: Date | null; lastTestOk: boolean | null }, now = Date.now()) {
  return Boolean(idp.lastTestOk && idp.lastTestedAt && now - idp.lastTestedAt.getTime() < TEST_FRESH_MS);
}

export const idpRefSchema = z.object({ tenantId: z.uuid(), idpId: z.uuid() });
export const activateIdpSchema = idpRefSchema.extend({ force: formBoolean.optional() });
export const discoverySourceSchema = z.object({
  tenantId: z.uuid(),
  source: z.string().trim().min(1, "Paste an issuer URL, a .well-known URL or an Entra directory (tenant) ID").max(500),
});

export const samlMetadataSourceSchema = z
  .object({
    tenantId: z.uuid(),
    url: z.string().trim().max(2000).optional(),
    xml: z.string().max(METADATA_MAX_BYTES, "The metadata file is larger than 512 KB").optional(),
  })
  .refine((v) => Boolean(v.url || v.xml), { path: ["url"], message: "Paste the App Federation Metadata Url, or choose the metadata XML file" });

const ID_TAKEN = "This form was already saved once. Reload the page to add another identity provider.";
const GONE = "This identity provider no longer exists.";

const about = (idp: { id: string; name: string }) => ({ targetType: "identity_provider", targetId: idp.id, targetLabel: idp.name });

/** Audit details: every field as saved, and whether the secret was replaced; never the secret. */
function summary(input: IdpInput) {
  const { samlCertificates, ...columns } = idpColumns(input);
  // Certificates are public, but long: the audit keeps how many there are.
  return { ...columns, samlCertificates: samlCertificates?.length ?? 0, secretReplaced: Boolean(input.clientSecret) };
}

/**
 * Creates the provider (with the id its form generated, so its Redirect URL was final before
 * the first save) or updates it. Changing an endpoint or the issuer needs the secret typed
 * again and a new Test sign-in (identity-provider-endpoints.ts).
 */
export async function saveIdentityProvider(input: IdpInput, actor: Actor) {
  const clientSecretEnc = input.clientSecret ? encryptSecret(input.clientSecret) : undefined;
  if (!input.idpId) {
    const id = input.newIdpId!;
    // Another tenant's provider with this id is answered like our own: nothing about it leaks.
    if (await findIdentityProviderTenantId(id)) throw new AdminError(ID_TAKEN, { newIdpId: ID_TAKEN });
    let row;
    try {
      row = await createIdentityProvider(input.tenantId, { ...idpColumns(input), id, clientSecretEnc });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AdminError(ID_TAKEN, { newIdpId: ID_TAKEN });
      throw error;
    }
    await recordAdminEvent(actor, { tenantId: input.tenantId, action: "idp.created", ...about(row), details: summary(input) });
    return { id: row.id, created: true, endpointsChanged: false, deactivated: false };
  }
  const saved = await getIdentityProvider(input.tenantId, input.idpId);
  if (!saved) throw new AdminError(GONE);
  const columns = idpColumns(input);
  const saml = input.type === "saml";
  const changes = [...endpointChanges(saved, columns), ...(saml || saved.type === "saml" ? samlChanges(saved, columns) : [])];
  if (changes.length && !input.clientSecret && !saml) {
    throw new AdminError(SECRET_REQUIRED_FOR_ENDPOINTS, { clientSecret: SECRET_REQUIRED_FOR_ENDPOINTS });
  }
  const row = await updateIdentityProvider(
    input.tenantId,
    input.idpId,
    { ...idpColumns(input), clientSecretEnc },
    { endpointsChanged: changes.length > 0, issuerChanged: changes.some((c) => c.field === "issuer") },
  );
  if (!row) throw new AdminError(GONE);
  const retest = changes.length ? { endpointChanges: changes, deactivated: row.deactivated, bindingsRemoved: row.bindingsRemoved } : {};
  await recordAdminEvent(actor, { tenantId: input.tenantId, action: "idp.updated", ...about(row), details: { ...summary(input), ...retest } });
  return { id: row.id, created: false, endpointsChanged: changes.length > 0, deactivated: row.deactivated };
}

export async function activateIdentityProvider(input: z.infer<typeof activateIdpSchema>, actor: Actor) {
  const idp = await getIdentityProvider(input.tenantId, input.idpId);
  if (!idp) throw new AdminError(GONE);
  if (idp.type !== "saml" && !idp.hasClientSecret) throw new AdminError("Add the client secret and save before activating.");
  const tested = hasRecentPassingTest(idp);
  if (!tested && !input.force) {
    throw new AdminError("Run a successful Test sign-in first (within the last 24 hours), or choose “Activate anyway”.");
  }
  await setIdentityProviderStatus(input.tenantId, idp.id, "active");
  await recordAdminEvent(actor, {
    tenantId: input.tenantId,
    action: "idp.activated",
    ...about(idp),
    details: { withoutRecentTest: !tested, lastTestedAt: idp.lastTestedAt?.toISOString() ?? null, lastTestOk: idp.lastTestOk ?? null },
  });
}

export async function deactivateIdentityProvider(tenantId: string, idpId: string, actor: Actor) {
  const row = await setIdentityProviderStatus(tenantId, idpId, "inactive");
  if (!row) throw new AdminError(GONE);
  await recordAdminEvent(actor, { tenantId, action: "idp.deactivated", ...about(row) });
}

export async function deleteIdentityProvider(tenantId: string, idpId: string, actor: Actor) {
  const row = await deleteIdentityProviderRow(tenantId, idpId);
  if (!row) throw new AdminError(GONE);
  await recordAdminEvent(actor, { tenantId, action: "idp.deleted", ...about(row) });
}

/** A SAML IdP's federation metadata, from its URL (lib/net/outbound rules) or an uploaded file. */
export async function importSamlMetadata(input: z.infer<typeof samlMetadataSourceSchema>) {
  const result = input.xml ? await importSamlMetadataFromXml(input.xml) : await importSamlMetadataFromUrl(input.url ?? "");
  if (!result.ok) throw new AdminError(result.error, { [input.xml ? "xml" : "url"]: result.error });
  return result.metadata;
}

/** A provider's discovery document, read by the server (lib/net/outbound rules); its failure is the admin's to fix. */
export async function discoverEndpoints(source: string) {
  try {
    return await discover(source);
  } catch (error) {
    if (error instanceof DiscoveryError) throw new AdminError(error.message, { source: error.message });
    throw error;
  }
}
