import { deriveEntraIssuer } from "../auth/entra";

// Security review M-2: the stored client secret goes to the token endpoint, and users' codes
// and PKCE verifiers follow the endpoints; the issuer decides whose tokens are accepted. So
// changing any of them on a saved provider needs the secret typed again (GitHub's webhook
// secret rule) and a new Test sign-in before the provider signs anyone in.
export const SECRET_BOUND_FIELDS = ["authorizationUrl", "tokenUrl", "userinfoUrl", "jwksUrl", "logoutUrl", "issuer"] as const;

export const SECRET_REQUIRED_FOR_ENDPOINTS =
  "Re-enter the client secret: it is needed again when an endpoint or the Issuer URI changes, so the stored one is never sent to a new address.";

type Endpoints = Partial<Record<(typeof SECRET_BOUND_FIELDS)[number], string | null>> & { authorizationUrl: string };

export type EndpointChange = { field: (typeof SECRET_BOUND_FIELDS)[number] | "samlSsoUrl" | "samlCertificates"; from: string | null; to: string | null };

/** An origin for the audit log: paths and queries may carry tenant-specific detail. */
function originOf(url: string | null) {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** A provider saved without an issuer uses the one its Entra directory implies: the same issuer, not a change. */
const effectiveIssuer = (idp: Endpoints) => idp.issuer || deriveEntraIssuer(idp.authorizationUrl) || null;

export function endpointChanges(saved: Endpoints, next: Endpoints): EndpointChange[] {
  return SECRET_BOUND_FIELDS.flatMap((field) => {
    const before = field === "issuer" ? effectiveIssuer(saved) : (saved[field] ?? null);
    const after = field === "issuer" ? effectiveIssuer(next) : (next[field] ?? null);
    return (before || null) === (after || null) ? [] : [{ field, from: originOf(before), to: originOf(after) }];
  });
}

/**
 * SAML has no secret, but the same rule for the rest: a new sign-on URL, entity ID (issuer) or
 * set of signing certificates decides whose assertions are accepted, so it needs a new Test
 * sign-in. Certificates are logged by count, never their content.
 */
export function samlChanges(
  saved: { samlSsoUrl: string | null; samlCertificates: string[] | null },
  next: { samlSsoUrl: string | null; samlCertificates: string[] | null },
): EndpointChange[] {
  const changes: EndpointChange[] = [];
  if ((saved.samlSsoUrl || null) !== (next.samlSsoUrl || null)) changes.push({ field: "samlSsoUrl", from: originOf(saved.samlSsoUrl), to: originOf(next.samlSsoUrl) });
  const before = [...(saved.samlCertificates ?? [])].sort().join(",");
  const after = [...(next.samlCertificates ?? [])].sort().join(",");
  if (before !== after) {
    changes.push({ field: "samlCertificates", from: `${saved.samlCertificates?.length ?? 0} certificate(s)`, to: `${next.samlCertificates?.length ?? 0} certificate(s)` });
  }
  return changes;
}
