import "server-only";
import { z } from "zod";
import { formBoolean, optionalText } from "../forms";
import { deriveEntraIssuer, MULTI_TENANT_UNPINNED, pinsNoDirectory } from "../auth/entra";
import { isAcceptableIdpUrl } from "../idp-urls";
import { parseCertificates } from "../saml/certificates";

/** https, or http to a provider on this machine (see isAcceptableIdpUrl). */
function endpoint(label: string) {
  return z
    .string()
    .trim()
    .min(1, `Enter the ${label}`)
    .pipe(z.url(`Enter the ${label} as a full URL, e.g. https://login.microsoftonline.com/…`))
    .refine((value) => {
      // zod 4 still runs this check after z.url() failed; that failure is already reported.
      if (!URL.canParse(value)) return true;
      return isAcceptableIdpUrl(new URL(value));
    }, `The ${label} must start with https://`);
}

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

function optionalEndpoint(label: string) {
  return z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), endpoint(label).optional());
}

export const ISSUER_REQUIRED =
  "Enter the Issuer URI: OpenID Connect needs it to accept ID tokens. Import from discovery fills it (Entra: https://login.microsoftonline.com/<directory-id>/v2.0)";

export const SAML_ENTITY_ID_REQUIRED = "Enter the identity provider's entity ID (Entra: Set up → Microsoft Entra Identifier), or import the metadata";

const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:/-]{0,149}$/;

export const idpSchema = z
  .object({
    tenantId: z.uuid("Choose a tenant"),
    idpId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid().optional()),
    /** A new provider's id, generated when the form opened so its Redirect URL is final before the first Save. */
    newIdpId: z.preprocess((v) => (v === "" ? undefined : v), z.uuid("Reload the page: this form's provider id is not valid").optional()),
    type: z.enum(["oidc", "oauth2", "saml"], "Choose OpenID Connect, OAuth2 or SAML 2.0"),
    name: z.string().trim().min(1, "Enter a name, e.g. “Microsoft Entra ID”").max(100, "Keep the name under 100 characters"),
    description: optionalText(500),
    authMethod: z.enum(["client_secret_post", "client_secret_basic"], "Choose how the client authenticates"),
    // Required for OIDC and OAuth2 (superRefine below); SAML has none of them.
    clientId: z.preprocess(emptyToUndefined, z.string().trim().max(500, "The Client ID is too long").optional()),
    clientSecret: optionalText(2000),
    authorizationUrl: optionalEndpoint("Authentication URL"),
    tokenUrl: optionalEndpoint("Access Token URL"),
    jwksUrl: optionalEndpoint("JSON Web Key Set URL"),
    usernameAttribute: z.string().trim().regex(CLAIM, "Enter a claim name such as preferred_username, upn or email"),
    issuer: optionalText(500).pipe(z.url("Enter the Issuer URI as a full URL").optional()),
    userinfoUrl: optionalEndpoint("User Info URL"),
    secureJwks: formBoolean,
    logoutUrl: optionalEndpoint("Logout URL"),
    resource: optionalText(500),
    audience: optionalText(500),
    displayNameAttribute: optionalText(100).pipe(z.string().regex(CLAIM, "Enter a claim name such as name").optional()),
    grantType: z.enum(["authorization_code"], "Single sign-on uses the authorization code grant"),
    scopes: z
      .string()
      .trim()
      .min(1, "Enter at least one scope, e.g. openid profile email")
      .max(1000, "Too many scopes")
      .transform((value) => [...new Set(value.split(/[\s,]+/).filter(Boolean))].join(" ")),
    buttonLabel: optionalText(60),
    pkce: formBoolean,
    samlSsoUrl: optionalEndpoint("Login URL (SSO URL)"),
    /** PEM blocks or base64 bodies, one per paragraph; checked in superRefine. */
    samlCertificates: z.preprocess((v) => (typeof v === "string" ? v : ""), z.string().max(100_000, "Too many certificates")),
    samlAllowIdpInitiated: formBoolean.optional().default(false),
  })
  .superRefine((input, ctx) => {
    if (!input.idpId && !input.newIdpId) {
      ctx.addIssue({ code: "custom", path: ["newIdpId"], message: "Reload the page: this form has no provider id" });
    }
    if (input.type === "saml") {
      if (!input.issuer) ctx.addIssue({ code: "custom", path: ["issuer"], message: SAML_ENTITY_ID_REQUIRED });
      if (!input.samlSsoUrl) ctx.addIssue({ code: "custom", path: ["samlSsoUrl"], message: "Enter the Login URL (Entra: Set up → Login URL), or import the metadata" });
      const certificates = parseCertificates(input.samlCertificates);
      if (!certificates.ok) {
        ctx.addIssue({ code: "custom", path: ["samlCertificates"], message: `Certificate ${certificates.index + 1} is not a valid X.509 certificate (paste the Base64 certificate, PEM or bare)` });
      } else if (certificates.certificates.length === 0) {
        ctx.addIssue({ code: "custom", path: ["samlCertificates"], message: "Add the signing certificate (Entra: SAML Certificates → Certificate (Base64)), or import the metadata" });
      }
      return;
    }
    const required = [
      ["clientId", "Enter the Client ID (Entra: Application (client) ID)"],
      ["authorizationUrl", "Enter the Authentication URL"],
      ["tokenUrl", "Enter the Access Token URL"],
      ["jwksUrl", "Enter the JSON Web Key Set URL"],
    ] as const;
    for (const [field, message] of required) {
      if (!input[field]) ctx.addIssue({ code: "custom", path: [field], message });
    }
    if (input.type === "oidc" && !input.scopes.split(" ").includes("openid")) {
      ctx.addIssue({ code: "custom", path: ["scopes"], message: "OpenID Connect needs the openid scope" });
    }
    // Without an issuer every ID token fails invalid_issuer (issue 16, item 5).
    if (input.type === "oidc" && !input.issuer && !deriveEntraIssuer(input.authorizationUrl ?? "")) {
      ctx.addIssue({ code: "custom", path: ["issuer"], message: ISSUER_REQUIRED });
    } else if (input.authorizationUrl && input.tokenUrl && pinsNoDirectory({ issuer: input.issuer ?? null, authorizationUrl: input.authorizationUrl, tokenUrl: input.tokenUrl })) {
      ctx.addIssue({ code: "custom", path: ["issuer"], message: MULTI_TENANT_UNPINNED });
    }
    if (!input.idpId && !input.clientSecret) {
      ctx.addIssue({ code: "custom", path: ["clientSecret"], message: "Enter the client secret (Entra: Certificates & secrets → Value)" });
    }
  })
  // An Entra Authentication URL names the directory, and so the issuer: it is saved explicitly.
  .transform((input) => {
    const oauth = { ...input, clientId: input.clientId ?? "", authorizationUrl: input.authorizationUrl ?? "", tokenUrl: input.tokenUrl ?? "", jwksUrl: input.jwksUrl ?? "" };
    const certificates = parseCertificates(input.samlCertificates);
    const samlCertificates = certificates.ok ? certificates.certificates : [];
    if (input.type === "saml") return { ...oauth, samlCertificates, clientSecret: undefined };
    return { ...oauth, samlCertificates, issuer: input.issuer ?? deriveEntraIssuer(oauth.authorizationUrl) };
  });

export type IdpInput = z.infer<typeof idpSchema>;
