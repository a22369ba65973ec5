// Entra's v2.0 endpoints carry the directory (tenant) id in their path,
// https://login.microsoftonline.com/<tid>/oauth2/v2.0/{authorize,token}, and its v2.0 ID tokens'
// issuer is https://login.microsoftonline.com/<tid>/v2.0; v1.0 endpoints (…/<tid>/oauth2/…)
// issue https://sts.windows.net/<tid>/
// (https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference, `iss`).
// "common", "organizations" and "consumers" name no directory, so no single issuer follows:
// their discovery documents name the template https://login.microsoftonline.com/{tenantid}/v2.0
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri).
const ENTRA_HOST = "login.microsoftonline.com";
const DIRECTORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const V2_ENDPOINT = /^\/[^/]+\/oauth2\/v2\.0\//;
const ENTRA_ENDPOINT = /^\/[^/]+\/oauth2\//;
const MULTI_TENANT_AUTHORITIES = new Set(["common", "organizations", "consumers", "%7btenantid%7d"]);
const TENANT_TEMPLATE = "{tenantid}";
/** v2.0 issuers name the directory before /v2.0 (the e2e fake keeps that path on its own host). */
const DIRECTORY_IN_V2_ISSUER = /\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/?$/i;
const DIRECTORY_IN_V1_ISSUER = /^https:\/\/sts\.windows\.net\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/** Why a provider on the multi-tenant endpoints that names no directory is refused, at save and at sign-in. */
export const MULTI_TENANT_UNPINNED =
  "The provider uses Entra's multi-tenant endpoints (common, organizations or consumers) and names no directory, so it would accept any organisation's accounts: set the Issuer URI to https://login.microsoftonline.com/<directory-id>/v2.0";

type Endpoints = { issuer: string | null; authorizationUrl: string; tokenUrl: string };

/** The authority segment of an Entra authorize or token URL (v1.0 or v2.0), lower-cased. */
function entraAuthority(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || parsed.hostname.toLowerCase() !== ENTRA_HOST) return undefined;
  if (!ENTRA_ENDPOINT.test(parsed.pathname)) return undefined;
  return parsed.pathname.split("/")[1]?.toLowerCase();
}

/** The issuer an Entra v2.0 authorization or token URL implies, or undefined when it names no directory. */
export function deriveEntraIssuer(url: string): string | undefined {
  if (!URL.canParse(url) || !V2_ENDPOINT.test(new URL(url).pathname)) return undefined;
  const directoryId = entraAuthority(url);
  return directoryId && DIRECTORY_ID.test(directoryId) ? `https://${ENTRA_HOST}/${directoryId}/v2.0` : undefined;
}

/** The directory id the endpoints name (the first that does), v1.0 or v2.0. */
function directoryOfEndpoints(idp: Endpoints): string | undefined {
  return [idp.authorizationUrl, idp.tokenUrl].map(entraAuthority).find((authority) => authority && DIRECTORY_ID.test(authority));
}

/**
 * The issuer a sign-in pins: the configured one, else the one the Entra endpoints imply. A
 * configured {tenantid} template is filled with the directory the endpoints name, so one
 * directory's tokens pass; with no directory named it stays a template, which no token matches.
 */
export function issuerOf(idp: Endpoints): string | undefined {
  const configured = idp.issuer?.trim();
  if (!configured) return deriveEntraIssuer(idp.authorizationUrl) || deriveEntraIssuer(idp.tokenUrl);
  const directoryId = directoryOfEndpoints(idp);
  return directoryId ? configured.replace(/\{tenantid\}/gi, directoryId) : configured;
}

/** The directory (tenant) id an Entra issuer names, v2.0 or v1.0. */
export function directoryOfIssuer(issuer: string): string | undefined {
  return (DIRECTORY_IN_V2_ISSUER.exec(issuer) ?? DIRECTORY_IN_V1_ISSUER.exec(issuer))?.[1]?.toLowerCase();
}

/** The directory whose tokens alone a sign-in accepts (their `tid`): the pinned issuer's, else the endpoints'. */
export function directoryOf(idp: Endpoints): string | undefined {
  const issuer = issuerOf(idp);
  return (issuer && directoryOfIssuer(issuer)) || directoryOfEndpoints(idp);
}

/**
 * True when the provider would accept any Entra directory: the issuer is still the {tenantid}
 * template, or none is pinned and an endpoint is common/organizations/consumers. A provider
 * serves one Gatehouse tenant, so such a configuration is refused rather than trusted.
 */
export function pinsNoDirectory(idp: Endpoints): boolean {
  if (directoryOf(idp)) return false;
  const issuer = issuerOf(idp);
  if (issuer) return issuer.toLowerCase().includes(TENANT_TEMPLATE);
  return [idp.authorizationUrl, idp.tokenUrl].some((url) => MULTI_TENANT_AUTHORITIES.has(entraAuthority(url) ?? ""));
}
