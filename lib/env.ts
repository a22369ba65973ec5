import { z } from "zod";
import { exactOrigin } from "./auth/return-to";

// The only module that reads process.env. Values are validated once, lazily, so that
// `next build` never needs a database or secrets.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().trim().optional(),
  /** A direct (not PgBouncer-pooled) URL of the same database, for `db migrate`: its advisory lock needs one session. The Neon integration sets it. */
  DATABASE_URL_UNPOOLED: z.string().trim().optional(),
  DATABASE_DRIVER: z.enum(["pglite", "postgres", "neon"]).optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  GATEHOUSE_DATA_DIR: z.string().default(".data"),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "ENCRYPTION_KEY must be 32 bytes, base64 encoded (openssl rand -base64 32)")
    .optional(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  APP_URL: z.url().optional(),
  AUTH_URL: z.url().optional(),
  /** Vercel's system variables, set at build and at run time. VERCEL_URL is the per-deployment host (a new one on every push). */
  VERCEL: z.string().optional(),
  VERCEL_URL: z.string().optional(),
  VERCEL_ENV: z.enum(["production", "preview", "development"]).optional(),
  VERCEL_BRANCH_URL: z.string().optional(),
  VERCEL_PROJECT_PRODUCTION_URL: z.string().optional(),
  NEON_LOCAL_PROXY: z.string().optional(),
  SEED_ADMIN_EMAIL: z.email().optional(),
  SEED_ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Per minute: wrong passwords from one source (any account), and for one account from one source; SSO starts per source (lib/auth/sign-in-limits.ts). */
  SIGNIN_LIMIT_PER_SOURCE: z.coerce.number().int().min(1).default(30),
  SIGNIN_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** Requests per minute allowed per API key on /api/v1 (lib/api/auth.ts); a refusal is a 429 with Retry-After. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  /** Host applications on other origins that GET /api/session/handoff may send a signed-in browser to, with a one-time token: comma-separated exact origins (lib/auth/return-to.ts). Gatehouse's own origin needs no entry. */
  HOST_APP_ORIGINS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const origins: string[] = [];
      for (const entry of (value ?? "").split(",").map((e) => e.trim()).filter(Boolean)) {
        const origin = exactOrigin(entry);
        if (origin) origins.push(origin);
        else ctx.addIssue({ code: "custom", message: `"${entry}" is not an origin: scheme://host[:port] and nothing more, https (http only on localhost), e.g. https://app.example.com` });
      }
      return origins;
    }),
  /** Proxies whose X-Forwarded-For is believed: comma-separated IPs/CIDRs, or "vercel" (lib/net/client-address.ts). Unset: the TCP peer is the client. */
  TRUSTED_PROXIES: z.string().trim().optional(),
  /** "1" lets identity-provider requests reach this machine (loopback, over http too): a provider running beside Gatehouse, e.g. in tests. Off, loopback is refused like any internal address (lib/net/outbound.ts). */
  GATEHOUSE_ALLOW_LOOPBACK_IDP: z.enum(["0", "1"]).default("0"),
  GATEHOUSE_QUERY_LOG: z.enum(["0", "1"]).default("0"),
  /** Server log level (lib/log.ts); unset: info, and silent under tests. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** "pretty": readable lines through pino-pretty (npm run dev sets it); otherwise one JSON object per line. */
  LOG_FORMAT: z.enum(["json", "pretty"]).default("json"),
  /** OpenTelemetry is off unless an OTLP endpoint is set and OTEL_SDK_DISABLED is not "true" (lib/telemetry.ts). The SDK reads the other OTEL_* variables itself. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: z.url().optional(),
  OTEL_SDK_DISABLED: z.string().trim().optional(),
  /** The deployed commit, reported by /api/health; on Vercel its own VERCEL_GIT_COMMIT_SHA. */
  GATEHOUSE_COMMIT: z.string().trim().optional(),
  VERCEL_GIT_COMMIT_SHA: z.string().trim().optional(),
  /** On SIGTERM, how long in-flight requests may take before the server exits anyway (lib/shutdown.ts). */
  GATEHOUSE_SHUTDOWN_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Bearer secret of GET/POST /api/cron/webhooks (Vercel Cron sends `Authorization: Bearer $CRON_SECRET`); unset, the route answers 404. */
  CRON_SECRET: z.string().min(16, "CRON_SECRET must be at least 16 characters").optional(),
  /** "0" stops this instance's in-process webhook dispatcher (lib/webhooks/loop.ts); never started on Vercel, where the cron route drains. */
  GATEHOUSE_WEBHOOK_DISPATCHER: z.enum(["0", "1"]).default("1"),
  /** How often the in-process dispatcher looks for due deliveries. */
  GATEHOUSE_WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** Days a directory event is kept in the feed (/api/v1/events, webhooks) before it is pruned (lib/events/retention.ts). */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /** Extra days an expired event is kept while an enabled webhook endpoint has not delivered it yet. */
  EVENT_RETENTION_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** Days a webhook delivery attempt stays in the delivery log. */
  WEBHOOK_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
  /** Tests only: the retry delays in seconds, comma-separated, instead of the ≥ 24 h schedule (lib/webhooks/schedule.ts). */
  GATEHOUSE_TEST_WEBHOOK_RETRY_SECONDS: z.string().regex(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, "comma-separated seconds, e.g. 1,1,2").optional(),
  /** Tests only: how long a dispatcher's claim on an endpoint lasts before another may take it over (default 60 s). */
  GATEHOUSE_TEST_WEBHOOK_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).optional(),
  // Test harness only: which driver integration suites run on, and the server they use.
  GATEHOUSE_TEST_DRIVER: z.enum(["pglite", "postgres", "neon"]).default("pglite"),
  TEST_DATABASE_URL: z.string().trim().optional(),
})
  // Auth.js builds the sign-in start's redirect_uri from AUTH_URL while the callback and the
  // console use APP_URL: two origins would make every IdP refuse the code exchange.
  .superRefine((e, ctx) => {
    if (e.APP_URL && e.AUTH_URL && new URL(e.APP_URL).origin !== new URL(e.AUTH_URL).origin) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_URL"],
        message: `names ${new URL(e.AUTH_URL).origin} but APP_URL names ${new URL(e.APP_URL).origin}; sign-in needs one origin: unset AUTH_URL or give it APP_URL's origin`,
      });
    }
  });

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  // An empty value (`KEY=` in a .env file) means "not set", as in .env.example.
  const defined = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = withAuthUrl(parsed.data);
  return cached;
}

let derivedAuthUrl: string | undefined;

// Auth.js builds the sign-in start's redirect_uri from AUTH_URL, else from the Host header
// (@auth/core createActionURL), while our callback and the console use appUrl(). Handing
// Auth.js the same origin keeps the two identical, e.g. on a preview opened through its
// per-deployment URL while the branch URL is the registered one.
function withAuthUrl(e: Env): Env {
  if (e.AUTH_URL) return e;
  const origin = configuredUrl(e);
  if (!origin) return e;
  process.env.AUTH_URL = derivedAuthUrl = origin;
  return { ...e, AUTH_URL: origin };
}

/** Test-only: forget the cached environment after process.env changed. */
export function resetEnvCache() {
  cached = undefined;
  if (derivedAuthUrl && process.env.AUTH_URL === derivedAuthUrl) delete process.env.AUTH_URL;
  derivedAuthUrl = undefined;
}

export function isProduction() {
  return env().NODE_ENV === "production";
}

/**
 * The public origin, used for SCIM locations, the SCIM Tenant URL, the OAuth Redirect URL and
 * its callback: APP_URL, else AUTH_URL, else on a Vercel preview its branch URL (the same for
 * every push to the branch, so the Redirect URL registered at the IdP keeps working), else in
 * Vercel production the project's production domain. Undefined: the request's own origin.
 */
export function appUrl(): string | undefined {
  const e = env();
  // Read on every SCIM request (meta.location): derived once per parsed environment.
  if (appUrlOf?.env !== e) appUrlOf = { env: e, url: configuredUrl(e) };
  return appUrlOf.url;
}

let appUrlOf: { env: Env; url: string | undefined } | undefined;

function configuredUrl(e: Env): string | undefined {
  if (e.APP_URL) return e.APP_URL.replace(/\/$/, "");
  if (e.AUTH_URL) return new URL(e.AUTH_URL).origin;
  if (e.VERCEL_ENV === "preview" && e.VERCEL_BRANCH_URL) return `https://${e.VERCEL_BRANCH_URL}`;
  if (e.VERCEL_ENV === "production" && e.VERCEL_PROJECT_PRODUCTION_URL) return `https://${e.VERCEL_PROJECT_PRODUCTION_URL}`;
  return undefined;
}

export function onVercel() {
  return env().VERCEL === "1";
}

/**
 * On Vercel the embedded database cannot work: the filesystem is read-only, and each function
 * instance (and the build container) would get its own database. Returns the one message that
 * the build, `db migrate` and the first database use all stop with; undefined when fine.
 */
export function embeddedDatabaseOnVercel(databaseUrl = env().DATABASE_URL): string | undefined {
  if (env().VERCEL !== "1") return undefined;
  const url = databaseUrl?.trim() ?? "";
  if (/^postgres(ql)?:\/\//i.test(url)) return undefined;
  const found = url ? `DATABASE_URL is "${url.split(":")[0]}:…"` : "DATABASE_URL is not set";
  return (
    `Gatehouse on Vercel needs PostgreSQL, and ${found}: the embedded PGlite database cannot run on Vercel ` +
    "(read-only filesystem; every function instance would get its own empty database). Set DATABASE_URL to a " +
    "postgres:// URL for this environment (Production and Preview each need one; the Neon integration sets it), then redeploy."
  );
}

/** Stops the build (next.config.ts) or the process with embeddedDatabaseOnVercel()'s message. */
export function refuseEmbeddedDatabaseOnVercel() {
  const problem = embeddedDatabaseOnVercel();
  if (problem) throw new Error(problem);
}

/** The deployed commit: configured, Vercel's, or the git commit `next build` ran on (next.config.ts). */
export function deployedCommit(): string | undefined {
  const e = env();
  return e.GATEHOUSE_COMMIT ?? e.VERCEL_GIT_COMMIT_SHA ?? (process.env.GATEHOUSE_BUILD_COMMIT || undefined);
}
