// The service-provider URLs of a SAML identity provider, as Entra's "Basic SAML Configuration"
// asks for them. Pure, so the console form shows them before the first save.

export const SAML_BASE_PATH = "/api/auth/saml";

function base(origin: string, idpId: string) {
  return `${origin.replace(/\/+$/, "")}${SAML_BASE_PATH}/${idpId}`;
}

export function samlSpUrls(origin: string, idpId: string) {
  const root = base(origin, idpId);
  return {
    /** Identifier (Entity ID): the SP's entity ID and the audience assertions must name. */
    entityId: root,
    /** Reply URL (Assertion Consumer Service URL): where the IdP posts its response. */
    acsUrl: `${root}/acs`,
    /** Sign on URL: starts an SP-initiated sign-in (Entra My Apps uses it when set). */
    signOnUrl: `${root}/login`,
    /** Logout URL: where the IdP sends the browser after signing out; ends the Gatehouse session. */
    logoutUrl: `${root}/logout`,
    metadataUrl: `${root}/metadata`,
  };
}

/** Entra ID's default SAML claim URIs (https://learn.microsoft.com/en-us/entra/identity-platform/reference-saml-tokens). */
export const ENTRA_SAML_CLAIMS = {
  objectId: "http://schemas.microsoft.com/identity/claims/objectidentifier",
  tenantId: "http://schemas.microsoft.com/identity/claims/tenantid",
  /** The user principal name. */
  name: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
  displayName: "http://schemas.microsoft.com/identity/claims/displayname",
  email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
} as const;
