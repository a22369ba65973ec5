import { describe, expect, it } from "vitest";
import { deriveEntraIssuer, issuerOf } from "./entra";

const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

describe("Entra v2.0 issuer from the directory id in an endpoint (id-token-claims-reference: iss)", () => {
  it("derives https://login.microsoftonline.com/<tid>/v2.0 from the authorize and token URLs", () => {
    expect(deriveEntraIssuer(`https://login.microsoftonline.com/${TID}/oauth2/v2.0/authorize`)).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
    expect(deriveEntraIssuer(`https://login.microsoftonline.com/${TID.toUpperCase()}/oauth2/v2.0/token`)).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
  });
  it("derives nothing from common, organizations or consumers: they name no directory", () => {
    for (const alias of ["common", "organizations", "consumers"]) {
      expect(deriveEntraIssuer(`https://login.microsoftonline.com/${alias}/oauth2/v2.0/authorize`)).toBeUndefined();
    }
  });
  it("derives nothing from other hosts, plain http, v1 endpoints or text that is not a URL", () => {
    expect(deriveEntraIssuer(`https://login.example.com/${TID}/oauth2/v2.0/authorize`)).toBeUndefined();
    expect(deriveEntraIssuer(`http://login.microsoftonline.com/${TID}/oauth2/v2.0/authorize`)).toBeUndefined();
    expect(deriveEntraIssuer(`https://login.microsoftonline.com/${TID}/oauth2/authorize`)).toBeUndefined();
    expect(deriveEntraIssuer("not a url")).toBeUndefined();
    expect(deriveEntraIssuer("")).toBeUndefined();
  });
});

describe("the issuer a sign-in pins: the configured one, else the one the Entra endpoints imply", () => {
  const idp = { issuer: null, authorizationUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/authorize`, tokenUrl: `https://login.microsoftonline.com/${TID}/oauth2/v2.0/token` };
  it("uses a configured issuer as typed", () => {
    expect(issuerOf({ ...idp, issuer: " https://idp.example.com " })).toBe("https://idp.example.com");
  });
  it("derives Entra's issuer when the IdP was saved without one", () => {
    expect(issuerOf(idp)).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
    expect(issuerOf({ ...idp, issuer: "", authorizationUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize" })).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
  });
  it("has none for a non-Entra IdP without an issuer", () => {
    expect(issuerOf({ issuer: null, authorizationUrl: "https://idp.example.com/auth", tokenUrl: "https://idp.example.com/token" })).toBeUndefined();
  });
});
