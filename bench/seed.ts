// Bulk seeder: one INSERT … SELECT generate_series per table chunk, computed in the database
// (no row ever crosses the wire), with the derived columns and maintained counters right.
// Ids are md5-derived, so the load generator can name any seeded row without reading it back.
import { createHash } from "node:crypto";
import { generateProvisioningToken } from "../lib/crypto/tokens";

export type Exec = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CHUNK = 100_000;

/** The same uuid as `md5(key)::uuid` in SQL. */
export function md5Uuid(key: string) {
  const h = createHash("md5").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const userId = (tenantId: string, i: number) => md5Uuid(`u:${tenantId}:${i}`);
export const userExternalId = (tenantId: string, i: number) => md5Uuid(`x:${tenantId}:${i}`);
export const groupId = (tenantId: string, i: number) => md5Uuid(`g:${tenantId}:${i}`);
export const userName = (domain: string, i: number) => `user${i}@${domain}`;

export type SeededTenant = { id: string; slug: string; domain: string; token: string; users: number; groups: number; bigGroupMembers: number };

export async function createTenant(exec: Exec, slug: string): Promise<Omit<SeededTenant, "users" | "groups" | "bigGroupMembers">> {
  const id = md5Uuid(`t:${slug}`);
  // The per-token rate limit (default 6000/min) would turn the load into 429s: lift it, so
  // the server is measured rather than the limiter.
  await exec(`insert into tenants (id, slug, name, settings) values ($1, $2, $3, $4)`, [id, slug, `Bench ${slug}`, { scimRateLimitPerMinute: 100_000_000 }]);
  const token = generateProvisioningToken();
  await exec(
    `insert into provisioning_tokens (tenant_id, name, token_hash, prefix, last4, created_by, expires_at)
     values ($1, 'bench', $2, $3, $4, 'bench', now() + interval '30 days')`,
    [id, token.hash, token.prefix, token.last4],
  );
  return { id, slug, domain: `${slug}.example.com`, token: token.token };
}

/** Users 0..count-1 with Entra-shaped SCIM documents; created_at ascending with the index. */
export async function seedUsers(exec: Exec, tenant: { id: string; domain: string }, count: number, onProgress?: (done: number) => void) {
  for (let from = 0; from < count; from += CHUNK) {
    const to = Math.min(count, from + CHUNK) - 1;
    await exec(
      `insert into users (id, tenant_id, user_name, user_name_normalized, external_id, name, given_name, family_name, email,
         work_emails, active, source, login_method, user_type, scim, created_at, updated_at)
       select md5('u:' || $1 || ':' || i)::uuid, $1::uuid, un, un, ext, 'Given' || i || ' Family' || i, 'Given' || i, 'Family' || i, un,
         array[un], true, 'scim', 'sso', 'Standard',
         jsonb_build_object(
           'userName', un, 'externalId', ext, 'active', true, 'displayName', 'Given' || i || ' Family' || i,
           'name', jsonb_build_object('givenName', 'Given' || i, 'familyName', 'Family' || i, 'formatted', 'Given' || i || ' Family' || i),
           'emails', jsonb_build_array(jsonb_build_object('value', un, 'type', 'work', 'primary', true)),
           'phoneNumbers', jsonb_build_array(jsonb_build_object('value', '+1 555 ' || lpad((i % 10000000)::text, 7, '0'), 'type', 'mobile')),
           'addresses', jsonb_build_array(jsonb_build_object('type', 'work', 'postalCode', lpad((i % 100000)::text, 5, '0'), 'country', 'US')),
           'userType', 'Standard',
           '${ENTERPRISE}', jsonb_build_object('department', 'Department ' || (i % 40), 'employeeNumber', i::text)
         ),
         t0 + i * interval '1 millisecond', t0 + i * interval '1 millisecond'
       from (select i, 'user' || i || '@' || $2 as un, md5('x:' || $1 || ':' || i)::uuid::text as ext,
               timestamptz '2025-01-01 00:00:00+00' as t0
             from generate_series($3::int, $4::int) as s(i)) as s`,
      [tenant.id, tenant.domain, from, to],
    );
    onProgress?.(to + 1);
  }
  await exec(`insert into tenant_counters (tenant_id, shard, users) values ($1, 0, $2) on conflict (tenant_id, shard) do update set users = tenant_counters.users + excluded.users`, [tenant.id, count]);
}

/**
 * `count` groups; group 0 gets users 0..bigMembers-1 (the large group), group 1 gets users
 * 0 and 1 (the 2-member group). member_count and the group count are set to the truth.
 */
export async function seedGroups(exec: Exec, tenant: { id: string }, count: number, bigMembers: number) {
  await exec(
    `insert into groups (id, tenant_id, display_name, display_name_normalized, external_id, source, scim, created_at, updated_at)
     select md5('g:' || $1 || ':' || i)::uuid, $1::uuid, 'Group ' || i, 'group ' || i, ext, 'scim',
       jsonb_build_object('displayName', 'Group ' || i, 'externalId', ext),
       timestamptz '2025-01-01 00:00:00+00' + i * interval '1 millisecond', timestamptz '2025-01-01 00:00:00+00' + i * interval '1 millisecond'
     from (select i, md5('gx:' || $1 || ':' || i)::uuid::text as ext from generate_series(0, $2::int - 1) as s(i)) as s`,
    [tenant.id, count],
  );
  for (let from = 0; from < bigMembers; from += CHUNK) {
    const to = Math.min(bigMembers, from + CHUNK) - 1;
    await exec(
      `insert into group_members (group_id, user_id, tenant_id)
       select md5('g:' || $1 || ':0')::uuid, md5('u:' || $1 || ':' || i)::uuid, $1::uuid from generate_series($2::int, $3::int) as s(i)`,
      [tenant.id, from, to],
    );
  }
  if (count >= 2 && bigMembers >= 2) await exec(
    `insert into group_members (group_id, user_id, tenant_id)
     select md5('g:' || $1 || ':1')::uuid, md5('u:' || $1 || ':' || i)::uuid, $1::uuid from generate_series(0, 1) as s(i)`,
    [tenant.id],
  );
  await exec(
    `update groups g set member_count = (select count(*) from group_members m where m.group_id = g.id)
     where g.id in (md5('g:' || $1 || ':0')::uuid, md5('g:' || $1 || ':1')::uuid)`,
    [tenant.id],
  );
  await exec(`insert into tenant_counters (tenant_id, shard, groups) values ($1, 0, $2) on conflict (tenant_id, shard) do update set groups = tenant_counters.groups + excluded.groups`, [tenant.id, count]);
}

/** A platform admin and a database session row for the console pages (cookie authjs.session-token). */
export async function seedConsoleSession(exec: Exec) {
  const id = md5Uuid("bench-admin");
  await exec(
    `insert into users (id, tenant_id, user_name, user_name_normalized, email, name, source, login_method, console_role)
     values ($1, null, 'bench-admin@example.com', 'bench-admin@example.com', 'bench-admin@example.com', 'Bench admin', 'local', 'password', 'platform_admin')`,
    [id],
  );
  const sessionToken = createHash("sha256").update(`bench-session:${Date.now()}:${Math.random()}`).digest("base64url");
  // Stored as the app stores it: the hex SHA-256 of the cookie value.
  const stored = createHash("sha256").update(sessionToken).digest("hex");
  await exec(`insert into sessions (session_token, user_id, expires) values ($1, $2, now() + interval '1 day')`, [stored, id]);
  return sessionToken;
}

/**
 * The platform-scale console (issue 13): `count` customer tenants `c00001…`, each with a
 * verified domain `c00001.example.net`, one provisioning token (expiring in 1–90 days, so some
 * are "expiring soon"), `usersEach` users and 14 days of scim_usage (every 50th tenant had
 * errors today). All in bulk SQL, 1,000 tenants per statement. Tokens are not usable (their
 * hashes are made up): these tenants are only read by the console scenarios.
 */
export async function seedTenants(exec: Exec, count: number, usersEach: number, onProgress?: (done: number) => void) {
  const STEP = 1_000;
  for (let from = 1; from <= count; from += STEP) {
    const to = Math.min(count, from + STEP - 1);
    const range = [from, to];
    await exec(
      `insert into tenants (id, slug, name, settings, last_scim_request_at, created_at, updated_at)
       select md5('t:c' || i)::uuid, 'c' || lpad(i::text, 5, '0'), 'Customer ' || lpad(i::text, 5, '0') || ' ' || (array['Ltd', 'GmbH', 'Inc', 'BV', 'SA'])[1 + i % 5], '{}'::jsonb,
         now() - (i % 97) * interval '1 hour', timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute', timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute'
       from generate_series($1::int, $2::int) as s(i)`,
      range,
    );
    await exec(
      `insert into tenant_domains (tenant_id, domain, verification_token, verified_at, verified_by)
       select md5('t:c' || i)::uuid, 'c' || lpad(i::text, 5, '0') || '.example.net', md5('d:' || i), now(), 'manual'
       from generate_series($1::int, $2::int) as s(i)`,
      range,
    );
    await exec(
      `insert into provisioning_tokens (tenant_id, name, token_hash, prefix, last4, created_by, expires_at)
       select md5('t:c' || i)::uuid, 'Entra', encode(sha256(('bench-token:' || i)::bytea), 'hex'), 'gh_', lpad((i % 10000)::text, 4, '0'), 'bench', now() + (1 + i % 90) * interval '1 day'
       from generate_series($1::int, $2::int) as s(i)`,
      range,
    );
    if (usersEach > 0) {
      await exec(
        `insert into users (id, tenant_id, user_name, user_name_normalized, external_id, name, given_name, family_name, email,
           work_emails, active, source, login_method, user_type, scim, created_at, updated_at)
         select md5('u:' || t || ':' || j)::uuid, t, un, un, md5('x:' || t || ':' || j)::uuid::text, 'Given' || j || ' Family' || j, 'Given' || j, 'Family' || j, un,
           array[un], true, 'scim', 'sso', 'Member',
           jsonb_build_object('userName', un, 'active', true, 'displayName', 'Given' || j || ' Family' || j,
             'name', jsonb_build_object('givenName', 'Given' || j, 'familyName', 'Family' || j),
             'emails', jsonb_build_array(jsonb_build_object('value', un, 'type', 'work', 'primary', true))),
           timestamptz '2025-01-01 00:00:00+00' + j * interval '1 second', timestamptz '2025-01-01 00:00:00+00' + j * interval '1 second'
         from (select md5('t:c' || i)::uuid as t, j, 'user' || j || '@c' || lpad(i::text, 5, '0') || '.example.net' as un
               from generate_series($1::int, $2::int) as s(i), generate_series(0, $3::int - 1) as u(j)) as s`,
        [from, to, usersEach],
      );
    }
    await exec(
      `insert into tenant_counters (tenant_id, shard, users, groups)
       select md5('t:c' || i)::uuid, 0, $3::int, 0 from generate_series($1::int, $2::int) as s(i)`,
      [from, to, usersEach],
    );
    await exec(
      `insert into scim_usage (tenant_id, day, reads, writes, errors, rate_limited, sign_ins, sign_in_failures, users, groups)
       select md5('t:c' || i)::uuid, to_char((now() at time zone 'utc')::date - d, 'YYYY-MM-DD'),
         20 + (i * 7 + d * 13) % 200, (i + d) % 30, case when d = 0 and i % 50 = 0 then 1 + i % 7 else 0 end, 0,
         (i + d) % 12, case when (i + d) % 40 = 0 then 1 else 0 end, $3::int, 0
       from generate_series($1::int, $2::int) as s(i), generate_series(0, 13) as dd(d)`,
      [from, to, usersEach],
    );
    onProgress?.(to);
  }
  // The day's totals over every tenant, as the usage flush keeps them (the dashboard reads these).
  await exec(
    `insert into usage_days (day, reads, writes, errors, rate_limited, sign_ins, sign_in_failures)
     select day, sum(reads), sum(writes), sum(errors), sum(rate_limited), sum(sign_ins), sum(sign_in_failures) from scim_usage group by day
     on conflict (day) do update set reads = excluded.reads, writes = excluded.writes, errors = excluded.errors,
       rate_limited = excluded.rate_limited, sign_ins = excluded.sign_ins, sign_in_failures = excluded.sign_in_failures`,
    [],
  );
}
