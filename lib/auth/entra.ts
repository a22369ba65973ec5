// Entra's v2.0 endpoints carry the directory (tenant) id in their path,
// https://login.microsoftonline.com/<tid>/oauth2/v2.0/{authorize,token}, and its v2.0 ID tokens'
// issuer is https://login.microsoftonline.com/<tid>/v2.0
// (https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference, `iss`).
// "common", "organizations" and "consumers" name no directory, so no single issuer follows.
const ENTRA_HOST = "login.microsoftonline.com";
const DIRECTORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const V2_ENDPOINT = /^\/[^/]+\/oauth2\/v2\.0\//;

/** The issuer an Entra v2.0 authorization or token URL implies, or undefined when it names no directory. */
export function deriveEntraIssuer(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || parsed.hostname.toLowerCase() !== ENTRA_HOST) return undefined;
  if (!V2_ENDPOINT.test(parsed.pathname)) return undefined;
  const directoryId = parsed.pathname.split("/")[1] ?? "";
  return DIRECTORY_ID.test(directoryId) ? `https://${ENTRA_HOST}/${directoryId.toLowerCase()}/v2.0` : undefined;
}

/** The issuer a sign-in pins: the configured one, else the one the Entra endpoints imply. */
export function issuerOf(idp: { issuer: string | null; authorizationUrl: string; tokenUrl: string }): string | undefined {
  return idp.issuer?.trim() || deriveEntraIssuer(idp.authorizationUrl) || deriveEntraIssuer(idp.tokenUrl);
}
