// What an Entra endpoint can and cannot tell about the issuer
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri):
// the authority segment is a directory id, a verified domain, or common/organizations/consumers,
// whose discovery document names the template https://login.microsoftonline.com/{tenantid}/v2.0.
// Only a directory id is the <tid> of the issuer.
import { describe, expect, it } from "vitest";
import { deriveEntraIssuer, issuerOf } from "./entra";

const TID = "9188040d-6c67-4c5b-b112-36a304b66dad";

describe("Entra issuer pinning: only a directory id in the endpoint implies an issuer", () => {
  it("derives nothing from the {tenantid} template, typed or percent-encoded", () => {
    expect(deriveEntraIssuer("https://login.microsoftonline.com/{tenantid}/oauth2/v2.0/authorize")).toBeUndefined();
    expect(deriveEntraIssuer("https://login.microsoftonline.com/%7Btenantid%7D/oauth2/v2.0/token")).toBeUndefined();
  });
  it("derives nothing from a verified domain: the issuer carries the directory id, not the domain", () => {
    expect(deriveEntraIssuer("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize")).toBeUndefined();
  });
  it("derives nothing from the v1.0 endpoints, whose tokens are issued by sts.windows.net", () => {
    expect(deriveEntraIssuer(`https://login.microsoftonline.com/${TID}/oauth2/token`)).toBeUndefined();
  });
  it("derives the v2.0 issuer from a token URL when the authorize URL names no directory", () => {
    const idp = { issuer: null, authorizationUrl: "https://login.microsoftonline.com/{tenantid}/oauth2/v2.0/authorize", tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` };
    expect(issuerOf(idp)).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
  });
  it("keeps a typed issuer, even the template, rather than deriving one from the endpoints", () => {
    const idp = { issuer: "https://login.microsoftonline.com/{tenantid}/v2.0", authorizationUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/authorize`, tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` };
    expect(issuerOf(idp)).toBe("https://login.microsoftonline.com/{tenantid}/v2.0");
  });
});
