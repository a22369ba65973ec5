import "server-only";
import { isAcceptableIdpUrl } from "../idp-urls";
import { outboundFetch } from "../net/outbound";
import { MetadataError, METADATA_MAX_BYTES, parseIdpMetadata, type SamlIdpMetadata } from "../saml/idp-metadata";

// "Import from metadata" for a SAML identity provider: the App Federation Metadata Url
// (fetched server-side through lib/net/outbound.ts, like OIDC discovery: https to public
// addresses only, no redirects, a timeout and a size cap) or the uploaded XML file. Every
// value it fills stays editable by hand.

const TIMEOUT_MS = 5000;
export const METADATA_FETCH_FAILED = "The metadata could not be retrieved. Check the URL, upload the XML file, or enter the values by hand";

export type SamlMetadataImport = { ok: true; metadata: SamlIdpMetadata } | { ok: false; error: string };

export async function importSamlMetadataFromUrl(input: string): Promise<SamlMetadataImport> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return { ok: false, error: "Enter the App Federation Metadata Url as a full URL (https://login.microsoftonline.com/…/federationmetadata.xml?appid=…)" };
  }
  if (!isAcceptableIdpUrl(url)) return { ok: false, error: "The metadata URL must start with https://" };
  let xml: string;
  try {
    const response = await outboundFetch(url, { headers: { accept: "application/samlmetadata+xml, application/xml, text/xml" } }, { timeoutMs: TIMEOUT_MS, maxBytes: METADATA_MAX_BYTES });
    if (!response.ok) return { ok: false, error: METADATA_FETCH_FAILED };
    xml = await response.text();
  } catch {
    return { ok: false, error: METADATA_FETCH_FAILED };
  }
  return importSamlMetadataFromXml(xml);
}

export async function importSamlMetadataFromXml(xml: string): Promise<SamlMetadataImport> {
  try {
    return { ok: true, metadata: await parseIdpMetadata(xml) };
  } catch (error) {
    return { ok: false, error: error instanceof MetadataError ? error.message : "The metadata could not be read" };
  }
}
