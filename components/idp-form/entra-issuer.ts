// Entra's v2.0 endpoints carry the directory (tenant) id in the path:
// https://login.microsoftonline.com/<tid>/oauth2/v2.0/authorize, and its ID tokens' issuer is
// https://login.microsoftonline.com/<tid>/v2.0 (Microsoft identity platform, "ID token claims: iss").
// "common", "organizations" and "consumers" are not directories: no single issuer follows from them.
const ENTRA_HOST = "login.microsoftonline.com";
const DIRECTORY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The issuer an Entra authorization/token URL implies, or null when it names no directory. */
export function entraIssuerFromEndpoint(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" || parsed.hostname.toLowerCase() !== ENTRA_HOST) return null;
  const directoryId = parsed.pathname.split("/")[1] ?? "";
  return DIRECTORY_ID.test(directoryId) ? `https://${ENTRA_HOST}/${directoryId.toLowerCase()}/v2.0` : null;
}
