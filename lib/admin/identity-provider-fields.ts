import type { IdentityProvider } from "../db/schema";

/**
 * An identity provider's editable fields, listed once: the form's values, the page that fills
 * them from the saved provider, the columns a save writes and its audit summary all follow
 * this list. Pure, so the client form imports it too.
 */
export const IDP_FIELDS = [
  "type",
  "name",
  "description",
  "authMethod",
  "clientId",
  "authorizationUrl",
  "tokenUrl",
  "jwksUrl",
  "usernameAttribute",
  "issuer",
  "userinfoUrl",
  "secureJwks",
  "logoutUrl",
  "resource",
  "audience",
  "displayNameAttribute",
  "grantType",
  "scopes",
  "buttonLabel",
  "pkce",
  "samlSsoUrl",
  "samlCertificates",
  "samlAllowIdpInitiated",
] as const satisfies readonly (keyof IdentityProvider)[];

export type IdpField = (typeof IDP_FIELDS)[number];
export type IdpColumns = Pick<IdentityProvider, IdpField>;
/** What the form holds: an unset optional field is "". */
export type IdpFormValues = { [K in IdpField]: NonNullable<IdpColumns[K]> };

export const EMPTY_IDP: IdpFormValues = {
  type: "oidc",
  name: "",
  description: "",
  authMethod: "client_secret_post",
  clientId: "",
  authorizationUrl: "",
  tokenUrl: "",
  jwksUrl: "",
  usernameAttribute: "preferred_username",
  issuer: "",
  userinfoUrl: "",
  secureJwks: true,
  logoutUrl: "",
  resource: "",
  audience: "",
  displayNameAttribute: "name",
  grantType: "authorization_code",
  scopes: "openid profile email",
  buttonLabel: "",
  pkce: true,
  samlSsoUrl: "",
  samlCertificates: [],
  samlAllowIdpInitiated: false,
};

/** What a new SAML provider starts with: Entra's default claim URIs (lib/saml/urls.ts). */
export const SAML_DEFAULTS = {
  usernameAttribute: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
  displayNameAttribute: "http://schemas.microsoft.com/identity/claims/displayname",
} as const;

export function idpFormValues(idp: IdpColumns): IdpFormValues {
  return Object.fromEntries(IDP_FIELDS.map((field) => [field, idp[field] ?? ""])) as IdpFormValues;
}

/** The columns a save writes: an optional field left empty is stored as null. */
export function idpColumns(input: { [K in IdpField]?: IdpColumns[K] | undefined }): IdpColumns {
  return Object.fromEntries(IDP_FIELDS.map((field) => [field, input[field] ?? null])) as IdpColumns;
}
