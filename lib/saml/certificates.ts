import { X509Certificate } from "node:crypto";

// IdP signing certificates, stored as their base64 DER body (what SAML metadata's
// <X509Certificate> carries and what Entra's "Certificate (Base64)" download holds inside
// its PEM armour).

/** The base64 body of a PEM or bare-base64 certificate, whitespace removed. */
export function certificateBody(input: string): string {
  return input
    .replace(/-----BEGIN CERTIFICATE-----/g, "")
    .replace(/-----END CERTIFICATE-----/g, "")
    .replace(/\s+/g, "");
}

export function pemOfCertificate(body: string): string {
  const clean = certificateBody(body);
  const lines = clean.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

export type CertificateSummary = { subject: string; notAfter: string; fingerprint256: string };

/** The certificate's subject, expiry and SHA-256 fingerprint; undefined when it does not parse. */
export function describeCertificate(body: string): CertificateSummary | undefined {
  try {
    const cert = new X509Certificate(pemOfCertificate(body));
    return { subject: cert.subject.replace(/\n/g, ", "), notAfter: new Date(cert.validTo).toISOString(), fingerprint256: cert.fingerprint256 };
  } catch {
    return undefined;
  }
}

/**
 * The certificates in a text field: PEM blocks, or base64 bodies one per paragraph. Returns the
 * bodies, or the first one that does not parse.
 */
export function parseCertificates(text: string): { ok: true; certificates: string[] } | { ok: false; index: number } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, certificates: [] };
  const blocks = /-----BEGIN CERTIFICATE-----/.test(trimmed)
    ? (trimmed.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [])
    : trimmed.split(/\n\s*\n|,/);
  const certificates: string[] = [];
  for (const [index, block] of blocks.entries()) {
    const body = certificateBody(block);
    if (!body) continue;
    if (!describeCertificate(body)) return { ok: false, index };
    if (!certificates.includes(body)) certificates.push(body);
  }
  return { ok: true, certificates };
}
