import "server-only";
import { isAcceptableIdpUrl } from "../idp-urls";
import { outboundFetch } from "../net/outbound";

// OpenID Connect Discovery 1.0 §4: the configuration lives at
// <issuer>/.well-known/openid-configuration. Fetched server-side (the browser would hit CORS)
// through lib/net/outbound.ts: https to public addresses only, no redirects, a timeout and a
// size cap. Whatever fails, the admin reads the same sentence, so the import cannot be used
// to tell closed ports, filtered hosts and non-JSON services apart.
const WELL_KNOWN = "/.well-known/openid-configuration";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMEOUT_MS = 5000;
const MAX_BYTES = 256 * 1024;
export const DISCOVERY_FAILED =
  "The discovery document could not be retrieved. Check the URL, or enter the endpoints by hand";

export type DiscoveredEndpoints = {
  issuer?: string;
  authorizationUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  userinfoUrl?: string;
  logoutUrl?: string;
  pkce?: boolean;
  authMethod?: "client_secret_post" | "client_secret_basic";
};

export class DiscoveryError extends Error {}

/** An Entra directory (tenant) ID, an issuer, or a full .well-known URL → the document URL. */
export function discoveryUrl(input: string): URL {
  const value = input.trim();
  if (GUID.test(value)) return new URL(`https://login.microsoftonline.com/${value.toLowerCase()}/v2.0${WELL_KNOWN}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DiscoveryError("Enter an issuer URL, a .well-known/openid-configuration URL, or an Entra directory (tenant) ID");
  }
  if (!url.pathname.endsWith(WELL_KNOWN)) url.pathname = `${url.pathname.replace(/\/+$/, "")}${WELL_KNOWN}`;
  return url;
}

export function isAllowedFetchUrl(url: URL): boolean {
  return isAcceptableIdpUrl(url);
}

function optionalUrl(value: unknown): string | undefined {
  return typeof value === "string" && /^https?:\/\//i.test(value) ? value : undefined;
}

/** The document, or undefined whatever went wrong: the admin sees one message either way (M-1). */
async function fetchDocument(url: URL): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await outboundFetch(url, { headers: { accept: "application/json" } }, { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES });
    if (!response.ok) return undefined;
    const doc: unknown = await response.json();
    return doc && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function discover(input: string): Promise<DiscoveredEndpoints> {
  const url = discoveryUrl(input);
  if (!isAllowedFetchUrl(url)) throw new DiscoveryError("Discovery URLs must use https:// and name a public host");
  const doc = await fetchDocument(url);
  if (!doc) throw new DiscoveryError(DISCOVERY_FAILED);
  const authorizationUrl = optionalUrl(doc.authorization_endpoint);
  const tokenUrl = optionalUrl(doc.token_endpoint);
  const jwksUrl = optionalUrl(doc.jwks_uri);
  if (!authorizationUrl || !tokenUrl || !jwksUrl) {
    throw new DiscoveryError(DISCOVERY_FAILED);
  }
  const methods = Array.isArray(doc.token_endpoint_auth_methods_supported) ? doc.token_endpoint_auth_methods_supported : [];
  const challenges = Array.isArray(doc.code_challenge_methods_supported) ? doc.code_challenge_methods_supported : [];
  return {
    issuer: typeof doc.issuer === "string" ? doc.issuer : undefined,
    authorizationUrl,
    tokenUrl,
    jwksUrl,
    userinfoUrl: optionalUrl(doc.userinfo_endpoint),
    logoutUrl: optionalUrl(doc.end_session_endpoint),
    pkce: challenges.includes("S256") ? true : undefined,
    authMethod: methods.length && !methods.includes("client_secret_post") && methods.includes("client_secret_basic") ? "client_secret_basic" : undefined,
  };
}
