import pino, { type DestinationStream, type LoggerOptions } from "pino";
import { env } from "./env";
import { errorSummary } from "./error-summary";
import { currentRequestId, requestContext } from "./request-id";

// The server's one logger: a JSON object per line on stdout, the current request's id on
// every line logged inside a request, secrets and URL query strings never printed.
// LOG_LEVEL picks the level (info by default, silent under tests); LOG_FORMAT=pretty
// (npm run dev) prints readable lines instead.

// Values under these keys (any letter case, up to three objects deep) are never printed.
const SECRET_KEYS = new Set(
  [
    "authorization",
    "cookie",
    "set-cookie",
    "password",
    "newPassword",
    "secret",
    "clientSecret",
    "client_secret",
    "token",
    "accessToken",
    "access_token",
    "refreshToken",
    "refresh_token",
    "idToken",
    "id_token",
    "params",
  ].map((key) => key.toLowerCase()),
);
const MAX_DEPTH = 3;

/**
 * A copy of `value` with secret keys censored; untouched objects are returned as they are.
 * (pino's own `redact` with wildcard paths cost over 100 µs a line; this walk costs about one.)
 */
export function censorSecrets(value: unknown, depth = 0): unknown {
  // Errors are summarised by the err serializer, which never prints their fields.
  if (value === null || typeof value !== "object" || value instanceof Error || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => censorSecrets(item, depth + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const original = (value as Record<string, unknown>)[key];
    const next = SECRET_KEYS.has(key.toLowerCase()) ? "[redacted]" : censorSecrets(original, depth + 1);
    if (next !== original) (copy ??= { ...(value as Record<string, unknown>) })[key] = next;
  }
  return copy ?? value;
}

/** A URL without its query string or fragment: SCIM filters carry user names and e-mail addresses. */
export function withoutQuery(url: unknown): unknown {
  if (typeof url !== "string" && !(url instanceof URL)) return url;
  const text = String(url);
  const end = text.search(/[?#]/);
  return end === -1 ? text : text.slice(0, end);
}

const summary = (error: unknown) => (typeof error === "string" ? error : errorSummary(error));

export function loggerOptions(): LoggerOptions {
  let level: string = "info";
  try {
    const e = env();
    level = e.LOG_LEVEL ?? (e.NODE_ENV === "test" ? "silent" : "info");
  } catch {
    // An invalid environment is reported by whoever reads it next; logging still works.
  }
  return {
    level,
    base: { service: "gatehouse" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: (object) => censorSecrets(object) as Record<string, unknown> },
    mixin() {
      const context = requestContext();
      return context ? { requestId: context.requestId, ...(context.tenantId ? { tenantId: context.tenantId } : {}) } : {};
    },
    serializers: {
      url: withoutQuery,
      path: withoutQuery,
      // Messages of driver errors carry SQL and bound values (lib/error-summary.ts).
      err: summary,
      error: summary,
    },
  };
}

function prettyRequested() {
  try {
    return env().LOG_FORMAT === "pretty";
  } catch {
    return false;
  }
}

// Lines go through this indirection so tests can read them (captureLogs below).
const stdout = pino.destination({ dest: 1, sync: true });
let sink: { write(line: string): unknown } = stdout;
const forwarding: DestinationStream = { write: (line) => void sink.write(line) };

export const logger = (prettyRequested() && prettyLogger()) || pino(loggerOptions(), forwarding);

// pino-pretty is a development dependency: it runs in pino's worker thread, off the request
// path. Where it is not installed (a production image), the lines stay JSON.
function prettyLogger() {
  try {
    return pino({ ...loggerOptions(), transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" } } });
  } catch {
    return undefined;
  }
}

/** Test-only: collects the logger's lines (at `level`) until `restore()`. */
export function captureLogs(level = "info") {
  const lines: string[] = [];
  const previous = { sink, level: logger.level };
  sink = { write: (line: string) => lines.push(line) };
  logger.level = level;
  return {
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    restore() {
      sink = previous.sink;
      logger.level = previous.level;
    },
  };
}

/**
 * The logger for code that runs in console requests too (server actions, pages): those carry
 * the id the proxy stamped on the request rather than an open context.
 */
export async function requestLogger() {
  if (requestContext()) return logger;
  const requestId = await currentRequestId();
  return requestId ? logger.child({ requestId }) : logger;
}
