// What an Entra endpoint can and cannot tell about the issuer
// (https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri):
// the authority segment is a directory id, a verified domain, or common/organizations/consumers,
// whose discovery document names the template https://login.microsoftonline.com/{tenantid}/v2.0.
// Only a directory id is the <tid> of the issuer.
import { describe, expect, it } from "vitest";
import { deriveEntraIssuer, directoryOf, directoryOfIssuer, issuerOf, pinsNoDirectory } from "./entra";

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
  it("fills a typed {tenantid} template with the directory the endpoints name, and only with that", () => {
    const template = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const idp = { issuer: template, authorizationUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/authorize`, tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` };
    expect(issuerOf(idp)).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
    const common = { issuer: template, authorizationUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize", tokenUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/token" };
    expect(issuerOf(common)).toBe(template);
  });
});

describe("Entra tid pinning: the directory a provider accepts tokens from", () => {
  const v2 = (authority: string) => ({ authorizationUrl: `https://login.microsoftonline.com/${authority}/oauth2/v2.0/authorize`, tokenUrl: `https://login.microsoftonline.com/${authority}/oauth2/v2.0/token` });
  it("reads it from a v2.0 or a v1.0 (https://sts.windows.net/<tid>/) issuer", () => {
    expect(directoryOfIssuer(`https://login.microsoftonline.com/${TID.toUpperCase()}/v2.0`)).toBe(TID);
    expect(directoryOfIssuer(`https://sts.windows.net/${TID}/`)).toBe(TID);
    expect(directoryOfIssuer("https://sts.windows.net/common/")).toBeUndefined();
    expect(directoryOfIssuer(`https://sts.windows.net.example.com/${TID}/`)).toBeUndefined();
  });
  it("prefers the issuer's directory, else reads the v1.0 or v2.0 endpoints'", () => {
    const other = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    expect(directoryOf({ issuer: `https://sts.windows.net/${TID}/`, ...v2(other) })).toBe(TID);
    expect(directoryOf({ issuer: null, authorizationUrl: `https://login.microsoftonline.com/${TID}/oauth2/authorize`, tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/token` })).toBe(TID);
    expect(directoryOf({ issuer: "https://idp.example.com", authorizationUrl: "https://idp.example.com/auth", tokenUrl: "https://idp.example.com/token" })).toBeUndefined();
  });
  it("common, organizations and consumers pin no directory, with no issuer or the {tenantid} template", () => {
    for (const authority of ["common", "organizations", "consumers", "{tenantid}"]) {
      expect(pinsNoDirectory({ issuer: null, ...v2(authority) }), authority).toBe(true);
      expect(pinsNoDirectory({ issuer: "https://login.microsoftonline.com/{tenantid}/v2.0", ...v2(authority) }), authority).toBe(true);
    }
    expect(pinsNoDirectory({ issuer: null, authorizationUrl: "https://login.microsoftonline.com/common/oauth2/authorize", tokenUrl: "https://login.microsoftonline.com/common/oauth2/token" })).toBe(true);
  });
  it("a directory named anywhere, or an issuer that is not the template, pins one", () => {
    expect(pinsNoDirectory({ issuer: `https://login.microsoftonline.com/${TID}/v2.0`, ...v2("common") })).toBe(false);
    expect(pinsNoDirectory({ issuer: null, ...v2("common"), tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` })).toBe(false);
    expect(pinsNoDirectory({ issuer: "https://idp.example.com", authorizationUrl: "https://idp.example.com/auth", tokenUrl: "https://idp.example.com/token" })).toBe(false);
    expect(pinsNoDirectory({ issuer: null, authorizationUrl: "https://idp.example.com/common/oauth2/v2.0/authorize", tokenUrl: "https://idp.example.com/token" })).toBe(false);
  });
});
