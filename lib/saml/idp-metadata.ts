import "server-only";
import { parseXml2JsFromString } from "@node-saml/node-saml/lib/xml";
import { describeCertificate, certificateBody } from "./certificates";

// The IdP side of a SAML configuration, read from its federation metadata (Entra's "App
// Federation Metadata Url", or the XML file downloaded from it): entity ID, sign-on URL,
// signing certificates (all of them: during a rollover Entra lists the new one beside the
// old), logout URL.

export const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
/** Metadata larger than this is not a single IdP's. */
export const METADATA_MAX_BYTES = 512 * 1024;

export type SamlIdpMetadata = { entityId: string; ssoUrl: string; certificates: string[]; logoutUrl?: string };

type Node = { $?: Record<string, string>; _?: string; [child: string]: unknown };
const list = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);

function textOf(node: Node | string | undefined): string {
  if (typeof node === "string") return node;
  return node?._ ?? "";
}

export class MetadataError extends Error {}

export async function parseIdpMetadata(xml: string): Promise<SamlIdpMetadata> {
  if (Buffer.byteLength(xml, "utf8") > METADATA_MAX_BYTES) throw new MetadataError("The metadata is larger than 512 KB");
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new MetadataError("The metadata contains a DTD, which SAML metadata never needs");
  let doc: Record<string, unknown>;
  try {
    doc = await parseXml2JsFromString(xml);
  } catch {
    throw new MetadataError("The file is not XML");
  }
  const descriptors = doc.EntityDescriptor
    ? [doc.EntityDescriptor as Node]
    : list((doc.EntitiesDescriptor as Node | undefined)?.EntityDescriptor);
  const entity = descriptors.find((d) => list(d.IDPSSODescriptor).length > 0);
  if (!entity) throw new MetadataError("The XML is not SAML identity-provider metadata (no IDPSSODescriptor)");
  const entityId = entity.$?.entityID?.trim();
  if (!entityId) throw new MetadataError("The metadata names no entityID");
  const idp = list(entity.IDPSSODescriptor)[0];
  const sso = list(idp.SingleSignOnService).find((s) => s.$?.Binding === REDIRECT_BINDING);
  if (!sso?.$?.Location) throw new MetadataError("The metadata has no SingleSignOnService with the HTTP-Redirect binding");
  const certificates: string[] = [];
  for (const key of list(idp.KeyDescriptor)) {
    if (key.$?.use && key.$.use !== "signing") continue;
    for (const info of list(key.KeyInfo)) {
      for (const data of list(info.X509Data)) {
        for (const cert of list(data.X509Certificate)) {
          const body = certificateBody(textOf(cert));
          if (body && describeCertificate(body) && !certificates.includes(body)) certificates.push(body);
        }
      }
    }
  }
  if (certificates.length === 0) throw new MetadataError("The metadata lists no signing certificate");
  const slo = list(idp.SingleLogoutService).find((s) => s.$?.Binding === REDIRECT_BINDING) ?? list(idp.SingleLogoutService)[0];
  return { entityId, ssoUrl: sso.$.Location.trim(), certificates, logoutUrl: slo?.$?.Location?.trim() || undefined };
}
