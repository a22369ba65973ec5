/**
 * How names are compared within a tenant.
 *
 * `normalizeUserName` is the key a person is known by: the userName (a console or break-glass
 * user's userName is their email) as Unicode NFKC, in lower case, without surrounding white
 * space. It is the `users.user_name_normalized` column behind the unique index on
 * (tenant_id, user_name_normalized), and every door that writes or looks up a user uses it:
 * SCIM, the console, JIT sign-in, SSO linking, the break-glass admin, the seed and the user
 * search. So a SCIM `" Alice@X.example"` and a console `"alice@x.example"` are one person.
 *
 * `foldName` is the same comparison without the trim: NFKC folds compatibility forms
 * (full-width letters, ligatures) to one spelling, then lower case. Group displayNames are
 * unique in this form (RFC 7643 §4.2 leaves uniqueness to the service provider).
 */
export function foldName(value: string): string {
  return value.normalize("NFKC").toLowerCase();
}

/** Trimmed after NFKC, so an ideographic space (U+3000) is trimmed like an ASCII one. */
export function normalizeUserName(userName: string): string {
  return foldName(userName).trim();
}
