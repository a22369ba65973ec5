import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
};

export type TenantSettings = {
  /** What a SCIM POST does when a Local user with the same userName/externalId exists. */
  userLinking?: "conflict" | "link";
  defaultTokenDays?: number;
  /** Just-in-time creation of users on first SSO sign-in. */
  jitProvisioning?: boolean;
  /** Requests per minute allowed per provisioning token. */
  scimRateLimitPerMinute?: number;
  /**
   * How a first SSO sign-in finds its user ("Match signed-in users by"). automatic: externalId
   * counts as the IdP object ID only when it is shaped like one (a GUID), else the userName;
   * objectId: externalId must equal the token's oid/sub; userName: preferred_username/UPN only.
   * After the first sign-in the binding (issuer + oid/sub) alone decides.
   */
  ssoMatchBy?: "automatic" | "objectId" | "userName";
};

export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  settings: jsonb("settings").$type<TenantSettings>().notNull().default({}),
  lastScimRequestAt: timestamp("last_scim_request_at", { withTimezone: true }),
  /** The users/groups counts last recorded in scim_usage (and added to usage_days), so the next record adds only the difference. */
  recordedUsers: integer("recorded_users").notNull().default(0),
  recordedGroups: integer("recorded_groups").notNull().default(0),
  ...timestamps,
}, (t) => [
  // The tenant list, its pickers and the dashboard's "needs attention" walk tenants by name (keyset on name, id).
  index("tenants_name_idx").on(t.name, t.id),
  index("tenants_created_idx").on(t.createdAt, t.id),
]);

/**
 * A tenant's user and group counts, kept so lists never need a whole-table count(*). Spread
 * over COUNTER_SHARDS rows per tenant (a write adds to one at random), so parallel creates in
 * one tenant do not queue behind one row lock; a count is the sum of the tenant's rows
 * (lib/db/queries/tenant-counters.ts).
 */
export const tenantCounters = pgTable("tenant_counters", {
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  shard: smallint("shard").notNull(),
  users: integer("users").notNull().default(0),
  groups: integer("groups").notNull().default(0),
}, (t) => [primaryKey({ columns: [t.tenantId, t.shard] })]);

/**
 * An email domain a tenant claims for home-realm discovery. One tenant per domain; the claim
 * counts only once verified (DNS TXT `_gatehouse-challenge.<domain>` = the token, or a platform
 * admin's manual verification).
 */
export const tenantDomains = pgTable("tenant_domains", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  domain: text("domain").notNull(),
  verificationToken: text("verification_token").notNull(),
  verifiedAt: timestamp("verified_at", { withTimezone: true }),
  /** "dns" or "manual"; null while unverified. */
  verifiedBy: text("verified_by", { enum: ["dns", "manual"] }),
  lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex("tenant_domains_domain_key").on(t.domain),
  index("tenant_domains_tenant_idx").on(t.tenantId),
]);

export const identityProviders = pgTable("identity_providers", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  type: text("type", { enum: ["oidc", "oauth2", "saml"] }).notNull().default("oidc"),
  name: text("name").notNull(),
  description: text("description"),
  status: text("status", { enum: ["draft", "active", "inactive"] }).notNull().default("draft"),
  authMethod: text("auth_method", { enum: ["client_secret_post", "client_secret_basic"] })
    .notNull()
    .default("client_secret_post"),
  clientId: text("client_id").notNull(),
  /** AES-256-GCM ciphertext (lib/crypto/secret-box); never the plaintext. */
  clientSecretEnc: text("client_secret_enc"),
  authorizationUrl: text("authorization_url").notNull(),
  tokenUrl: text("token_url").notNull(),
  jwksUrl: text("jwks_url").notNull(),
  usernameAttribute: text("username_attribute").notNull().default("preferred_username"),
  issuer: text("issuer"),
  userinfoUrl: text("userinfo_url"),
  secureJwks: boolean("secure_jwks").notNull().default(true),
  logoutUrl: text("logout_url"),
  resource: text("resource"),
  audience: text("audience"),
  displayNameAttribute: text("display_name_attribute").default("name"),
  grantType: text("grant_type").notNull().default("authorization_code"),
  scopes: text("scopes").notNull().default("openid profile email"),
  buttonLabel: text("button_label"),
  pkce: boolean("pkce").notNull().default(true),
  lastTestedAt: timestamp("last_tested_at", { withTimezone: true }),
  lastTestOk: boolean("last_test_ok"),
  lastTestResult: jsonb("last_test_result"),
  lastSuccessfulSignInAt: timestamp("last_successful_sign_in_at", { withTimezone: true }),
  // SAML 2.0 (type "saml"): `issuer` holds the IdP's entity ID, `logoutUrl` its logout URL.
  /** The IdP's SingleSignOnService URL (HTTP-Redirect binding). */
  samlSsoUrl: text("saml_sso_url"),
  /** The IdP's signing certificates (PEM bodies, base64 DER), several during a rollover. */
  samlCertificates: jsonb("saml_certificates").$type<string[]>().notNull().default([]),
  /** Accept unsolicited responses (IdP-initiated sign-in, e.g. Entra My Apps). Off by default. */
  samlAllowIdpInitiated: boolean("saml_allow_idp_initiated").notNull().default(false),
  ...timestamps,
}, (t) => [index("identity_providers_tenant_idx").on(t.tenantId, t.status)]);

/**
 * AuthnRequests Gatehouse sent, until their response arrives: the response's InResponseTo
 * must name one of these, started by the same browser (`browserHash`, the SHA-256 of an
 * HttpOnly cookie set with the request). Consumed at the first response.
 */
export const samlRequests = pgTable("saml_requests", {
  id: text("id").primaryKey(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  idpId: uuid("idp_id").notNull().references(() => identityProviders.id, { onDelete: "cascade" }),
  browserHash: text("browser_hash").notNull(),
  callbackUrl: text("callback_url").notNull().default("/"),
  /** Set for "Test sign-in": the admin who started it; the response creates no session. */
  testAdminUserId: uuid("test_admin_user_id"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
}, (t) => [index("saml_requests_expires_idx").on(t.expiresAt)]);

/** Assertion IDs already used, kept until their NotOnOrAfter so no assertion signs in twice (across instances). */
export const samlAssertions = pgTable("saml_assertions", {
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  idpId: uuid("idp_id").notNull().references(() => identityProviders.id, { onDelete: "cascade" }),
  assertionId: text("assertion_id").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.idpId, t.assertionId] }), index("saml_assertions_expires_idx").on(t.expiresAt)]);

export const provisioningTokens = pgTable("provisioning_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  name: text("name").notNull().default("Provisioning token"),
  /** Hex SHA-256 of the whole token; the plaintext is never stored. */
  tokenHash: text("token_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  last4: text("last4").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [index("provisioning_tokens_tenant_idx").on(t.tenantId, t.createdAt)]);

/**
 * Keys of the host application's REST API (/api/v1): a tenant's (tenant_id set) or a platform
 * key for every tenant (platform true, tenant_id null). Stored like provisioning tokens: the
 * SHA-256 hash of the key, never the key; prefix and last four characters for display.
 */
export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
  platform: boolean("platform").notNull().default(false),
  name: text("name").notNull().default("API key"),
  /** Hex SHA-256 of the whole key; the plaintext is never stored. */
  keyHash: text("key_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  last4: text("last4").notNull(),
  scope: text("scope", { enum: ["read", "read-write"] }).notNull().default("read"),
  createdBy: text("created_by").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
}, (t) => [
  index("api_keys_tenant_idx").on(t.tenantId, t.createdAt),
  check("api_keys_owner_check", sql`(${t.platform} and ${t.tenantId} is null) or (not ${t.platform} and ${t.tenantId} is not null)`),
]);

export type ConsoleRole = "platform_admin" | "tenant_admin" | "read_only";

/**
 * People: SCIM-provisioned and local users of a tenant, and platform admins (tenant null).
 * Doubles as the Auth.js users table (id, name, email, emailVerified, image).
 * `scim` holds the SCIM resource as stored (every attribute except id, meta and groups);
 * the columns beside it are derived from it for indexing and display.
 */
export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
  userName: text("user_name").notNull(),
  /** lib/identity/normalize.ts normalizeUserName (NFKC, lower case, trimmed): SCIM userName is unique case-insensitively (RFC 7643 §4.1.1). */
  userNameNormalized: text("user_name_normalized").notNull(),
  externalId: text("external_id"),
  name: text("name"),
  givenName: text("given_name"),
  familyName: text("family_name"),
  email: text("email"),
  emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
  image: text("image"),
  /** Lower-cased values of emails[type eq "work"], for Entra's matching filter. */
  workEmails: text("work_emails").array().notNull().default(sql`'{}'::text[]`),
  active: boolean("active").notNull().default(true),
  source: text("source", { enum: ["scim", "local"] }).notNull().default("local"),
  loginMethod: text("login_method", { enum: ["sso", "password"] }).notNull().default("sso"),
  passwordHash: text("password_hash"),
  consoleRole: text("console_role").$type<ConsoleRole>(),
  userType: text("user_type"),
  scim: jsonb("scim").$type<Record<string, unknown>>().notNull().default({}),
  version: integer("version").notNull().default(1),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
  ...timestamps,
}, (t) => [
  uniqueIndex("users_tenant_user_name_uq").on(t.tenantId, t.userNameNormalized),
  uniqueIndex("users_platform_user_name_uq").on(t.userNameNormalized).where(sql`${t.tenantId} is null`),
  // Not unique: RFC 7643 does not ask it, and Entra re-uses a mailNickname after a re-hire.
  index("users_tenant_external_id_idx").on(t.tenantId, t.externalId),
  index("users_work_emails_idx").using("gin", t.workEmails),
  index("users_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
  // The few users SCIM may not see (console-created, just-in-time): SCIM's unfiltered total is
  // the tenant's user counter minus these, without counting the provisioned ones.
  index("users_tenant_not_scim_idx").on(t.tenantId).where(sql`${t.source} <> 'scim'`),
  // Console search (`like '%…%'` on userName, name, email) without a scan of the tenant's rows.
  index("users_user_name_trgm_idx").using("gin", t.userNameNormalized.op("gin_trgm_ops")),
  index("users_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")),
  index("users_email_trgm_idx").using("gin", t.email.op("gin_trgm_ops")),
]);

export const groups = pgTable("groups", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  displayName: text("display_name").notNull(),
  displayNameNormalized: text("display_name_normalized").notNull(),
  externalId: text("external_id"),
  source: text("source", { enum: ["scim", "local"] }).notNull().default("scim"),
  scim: jsonb("scim").$type<Record<string, unknown>>().notNull().default({}),
  memberCount: integer("member_count").notNull().default(0),
  version: integer("version").notNull().default(1),
  ...timestamps,
}, (t) => [
  uniqueIndex("groups_tenant_display_name_uq").on(t.tenantId, t.displayNameNormalized),
  uniqueIndex("groups_tenant_external_id_uq").on(t.tenantId, t.externalId),
  index("groups_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
]);

export const groupMembers = pgTable("group_members", {
  groupId: uuid("group_id").notNull().references(() => groups.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.groupId, t.userId] }),
  index("group_members_user_idx").on(t.userId),
]);

export const roleMappings = pgTable("role_mappings", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  groupId: uuid("group_id").notNull().references(() => groups.id, { onDelete: "cascade" }),
  role: text("role", { enum: ["tenant_admin", "read_only"] }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex("role_mappings_tenant_group_uq").on(t.tenantId, t.groupId)]);

export const auditEvents = pgTable("audit_events", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "set null" }),
  actorType: text("actor_type", { enum: ["admin", "token", "api_key", "user", "system"] }).notNull(),
  actorId: text("actor_id"),
  actorLabel: text("actor_label"),
  action: text("action").notNull(),
  targetType: text("target_type"),
  targetId: text("target_id"),
  targetLabel: text("target_label"),
  outcome: text("outcome", { enum: ["success", "failure"] }).notNull(),
  statusCode: integer("status_code"),
  requestId: text("request_id"),
  /** A request summary; never a token, secret or password. */
  details: jsonb("details").$type<Record<string, unknown>>(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("audit_events_tenant_created_idx").on(t.tenantId, t.createdAt),
  index("audit_events_created_idx").on(t.createdAt),
  // A user's recent events on their detail page (SCIM writes target the user id).
  index("audit_events_target_idx").on(t.tenantId, t.targetId, t.createdAt),
  // Failures only (the dashboard's "errors in the last 24 h" per tenant and overall): a few rows
  // beside the SCIM writes' many successes.
  index("audit_events_failures_idx").on(t.tenantId, t.createdAt).where(sql`${t.outcome} = 'failure'`),
]);

/**
 * Per-tenant, per-day counters (UTC day, `YYYY-MM-DD`): SCIM requests are counted, not logged
 * one by one; sign-ins too. `users`/`groups` are the tenant's counts as last seen that day
 * (null on a day nothing was counted). Written by lib/scim-server/usage.ts.
 */
export const scimUsage = pgTable("scim_usage", {
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  day: text("day").notNull(),
  reads: integer("reads").notNull().default(0),
  writes: integer("writes").notNull().default(0),
  errors: integer("errors").notNull().default(0),
  /** Requests refused with 429 (also counted in errors). */
  rateLimited: integer("rate_limited").notNull().default(0),
  signIns: integer("sign_ins").notNull().default(0),
  signInFailures: integer("sign_in_failures").notNull().default(0),
  users: integer("users"),
  groups: integer("groups"),
}, (t) => [primaryKey({ columns: [t.tenantId, t.day] }), index("scim_usage_day_idx").on(t.day)]);

/**
 * Every tenant's users and groups summed, as changes per UTC day, and the day's traffic summed:
 * the overall charts read a row a day, whatever the number of tenants. Each flush
 * of a tenant's day adds the difference between its new count and the one it last recorded
 * (tenants.recorded_users/groups); deleting a tenant subtracts its last recorded counts.
 */
export const usageDays = pgTable("usage_days", {
  day: text("day").primaryKey(),
  usersChange: integer("users_change").notNull().default(0),
  groupsChange: integer("groups_change").notNull().default(0),
  /** The day's SCIM traffic and sign-ins over every tenant, added by the same flushes as scim_usage. */
  reads: integer("reads").notNull().default(0),
  writes: integer("writes").notNull().default(0),
  errors: integer("errors").notNull().default(0),
  rateLimited: integer("rate_limited").notNull().default(0),
  signIns: integer("sign_ins").notNull().default(0),
  signInFailures: integer("sign_in_failures").notNull().default(0),
});

// Auth.js tables (@auth/drizzle-adapter). Database sessions: deleting a user's rows here
// signs them out everywhere at once.
export const accounts = pgTable("accounts", {
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  type: text("type").$type<"oauth" | "oidc" | "saml" | "email" | "webauthn">().notNull(),
  provider: text("provider").notNull(),
  providerAccountId: text("provider_account_id").notNull(),
  /** Encrypted with lib/crypto/secret-box before it reaches the adapter. */
  refresh_token: text("refresh_token"),
  access_token: text("access_token"),
  expires_at: integer("expires_at"),
  token_type: text("token_type"),
  scope: text("scope"),
  id_token: text("id_token"),
  session_state: text("session_state"),
  /** When this IdP account was bound to the user (its first successful sign-in). */
  boundAt: timestamp("bound_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.provider, t.providerAccountId] }),
  index("accounts_user_idx").on(t.userId),
]);

export const sessions = pgTable("sessions", {
  sessionToken: text("session_token").primaryKey(),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("sessions_user_idx").on(t.userId)]);

/**
 * Single-use tokens that hand a signed-in browser's session to a host application on another
 * origin (GET /api/session/handoff → GET /api/v1/session). Only the token's SHA-256 is kept;
 * ending the session ends its tokens (cascade).
 */
export const sessionHandoffs = pgTable("session_handoffs", {
  tokenHash: text("token_hash").primaryKey(),
  /** The session user's tenant; null for a platform account. */
  tenantId: uuid("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
  sessionToken: text("session_token").notNull().references(() => sessions.sessionToken, { onDelete: "cascade" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
}, (t) => [index("session_handoffs_session_idx").on(t.sessionToken), index("session_handoffs_expires_idx").on(t.expiresAt)]);

export const verificationTokens = pgTable("verification_tokens", {
  identifier: text("identifier").notNull(),
  token: text("token").notNull(),
  expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
}, (t) => [primaryKey({ columns: [t.identifier, t.token] })]);

/** Fixed-window rate-limit counters kept in the database so limits hold across instances. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").notNull(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  count: integer("count").notNull().default(0),
}, (t) => [primaryKey({ columns: [t.key, t.windowStart] })]);

/**
 * PostgreSQL's 64-bit transaction id (`pg_current_xact_id()`), carried as its decimal text: the
 * directory event feed orders by it and shows a reader only what every older transaction has
 * finished writing (lib/db/queries/directory-events.ts).
 */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => "xid8" });

/**
 * The directory event outbox: one row per directory change or sign-in, written by the same
 * statement or transaction as the change (lib/events). Readers walk a tenant's events in
 * (tx_id, id) order and see only events of transactions older than every one still running,
 * so a transaction committing late never lands behind a cursor a reader already passed.
 */
export const directoryEvents = pgTable("directory_events", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  txId: xid8("tx_id").notNull().default(sql`pg_current_xact_id()`),
  type: text("type").notNull(),
  resourceType: text("resource_type", { enum: ["user", "group"] }).notNull(),
  resourceId: uuid("resource_id").notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("directory_events_tenant_position_idx").on(t.tenantId, t.txId, t.id),
  index("directory_events_created_idx").on(t.createdAt),
]);

/**
 * How far a tenant's event feed has been pruned (lib/events/retention.ts): the position of the
 * latest event removed. A reader whose cursor is before it has missed events and is told so
 * (410) instead of silently skipping them; `after=0` starts here.
 */
export const directoryEventHorizons = pgTable("directory_event_horizons", {
  tenantId: uuid("tenant_id").primaryKey().references(() => tenants.id, { onDelete: "cascade" }),
  txId: xid8("tx_id").notNull(),
  eventId: bigint("event_id", { mode: "number" }).notNull(),
  /** When the latest removed event had been written. */
  eventCreatedAt: timestamp("event_created_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A tenant's webhook endpoint and its place in the tenant's event stream: the next event it
 * gets is the first one after (cursor_tx_id, cursor_event_id) that its event types match,
 * and only once the one before was delivered or given up (lib/webhooks/dispatcher.ts).
 */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: uuid("id").primaryKey().defaultRandom(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  url: text("url").notNull(),
  description: text("description"),
  /** Event types delivered; empty: every type. */
  eventTypes: text("event_types").array().notNull().default(sql`'{}'::text[]`),
  /** AES-256-GCM ciphertext (lib/crypto/secret-box) of the `whsec_…` signing secret. */
  secretEnc: text("secret_enc").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  disabledReason: text("disabled_reason"),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  cursorTxId: xid8("cursor_tx_id").notNull().default(sql`'0'::xid8`),
  cursorEventId: bigint("cursor_event_id", { mode: "number" }).notNull().default(0),
  /** Failed attempts of the event at the head of this endpoint's queue. */
  failedAttempts: integer("failed_attempts").notNull().default(0),
  nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
  /** A dispatcher's claim on the endpoint while it delivers; a crashed one's claim lapses. */
  leaseUntil: timestamp("lease_until", { withTimezone: true }),
  leaseToken: uuid("lease_token"),
  lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  ...timestamps,
}, (t) => [
  index("webhook_endpoints_tenant_idx").on(t.tenantId, t.createdAt),
  index("webhook_endpoints_due_idx").on(t.nextAttemptAt).where(sql`${t.enabled}`),
]);

/** One delivery attempt (or a test send) and what the receiver answered. */
export const webhookDeliveries = pgTable("webhook_deliveries", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
  endpointId: uuid("endpoint_id").notNull().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
  /** Null for a test event. */
  eventId: bigint("event_id", { mode: "number" }).references(() => directoryEvents.id, { onDelete: "cascade" }),
  /** The Standard Webhooks `webhook-id`: the same on every attempt of one event. */
  messageId: text("message_id").notNull(),
  eventType: text("event_type").notNull(),
  attempt: integer("attempt").notNull(),
  trigger: text("trigger", { enum: ["dispatch", "retry", "test"] }).notNull().default("dispatch"),
  status: text("status", { enum: ["succeeded", "failed", "given_up"] }).notNull(),
  responseStatus: integer("response_status"),
  /** Why an attempt failed without a response, or a short excerpt of an error response. */
  error: text("error"),
  durationMs: integer("duration_ms"),
  nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt, t.id),
  // Retention: pruning by age, and the cascade from a pruned event to its deliveries.
  index("webhook_deliveries_created_idx").on(t.createdAt),
  index("webhook_deliveries_event_idx").on(t.eventId),
]);

export type Tenant = typeof tenants.$inferSelect;
export type IdentityProvider = typeof identityProviders.$inferSelect;
export type ProvisioningToken = typeof provisioningTokens.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type User = typeof users.$inferSelect;
export type Group = typeof groups.$inferSelect;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type DirectoryEvent = typeof directoryEvents.$inferSelect;
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
