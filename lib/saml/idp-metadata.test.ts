import { beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey, type SigningKey } from "@/test/fixtures/saml";
import { parseIdpMetadata } from "./idp-metadata";
import { parseCertificates, pemOfCertificate } from "./certificates";

// Shaped like Entra's App Federation Metadata (an EntityDescriptor with RoleDescriptors, then
// the IDPSSODescriptor), with two signing certificates as during a rollover.
function entraMetadata(certs: string[], extra = "") {
  const keys = certs
    .map((c) => `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${c}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`)
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?>${extra}<EntityDescriptor ID="_x" entityID="https://sts.windows.net/72f988bf/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` +
    `<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706"/>` +
    `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
    `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/72f988bf/saml2"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/72f988bf/saml2"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/72f988bf/saml2/post"/>` +
    `</IDPSSODescriptor></EntityDescriptor>`;
}

describe("SAML IdP metadata", () => {
  let a: SigningKey;
  let b: SigningKey;
  beforeAll(() => {
    a = generateSigningKey("a");
    b = generateSigningKey("b");
  });

  it("reads entity ID, the HTTP-Redirect sign-on URL, every signing certificate and the logout URL", async () => {
    expect(await parseIdpMetadata(entraMetadata([a.body, b.body]))).toEqual({
      entityId: "https://sts.windows.net/72f988bf/",
      ssoUrl: "https://login.microsoftonline.com/72f988bf/saml2",
      certificates: [a.body, b.body],
      logoutUrl: "https://login.microsoftonline.com/72f988bf/saml2",
    });
  });

  it("refuses a DTD, XML that is not IdP metadata, and metadata without certificates", async () => {
    await expect(parseIdpMetadata(entraMetadata([a.body], `<!DOCTYPE x [<!ENTITY e "boom">]>`))).rejects.toThrow(/DTD/);
    await expect(parseIdpMetadata("<html><body>Sign in</body></html>")).rejects.toThrow(/IDPSSODescriptor/);
    await expect(parseIdpMetadata("not xml at all <")).rejects.toThrow();
    await expect(parseIdpMetadata(entraMetadata([]))).rejects.toThrow(/certificate/);
  });

  it("parses pasted certificates: PEM blocks or base64, invalid ones named by position", () => {
    expect(parseCertificates(`${a.cert}\n${pemOfCertificate(b.body)}`)).toEqual({ ok: true, certificates: [a.body, b.body] });
    expect(parseCertificates(`${a.body}\n\n${b.body}`)).toEqual({ ok: true, certificates: [a.body, b.body] });
    expect(parseCertificates(`${a.body}\n\nnot-a-certificate`)).toEqual({ ok: false, index: 1 });
  });
});
