import { randomBytes } from "node:crypto";
import { isValidElement } from "react";

/**
 * The one part of a console request that cannot run outside Next: the request itself.
 * `next/headers` answers from this jar (the browser's cookies) and `next/cache` is a no-op
 * (revalidation needs Next's static-generation store). Everything behind it is real:
 * Auth.js reads the `authjs.session-token` cookie, the Drizzle adapter loads the `sessions`
 * row and the user, and the guards derive the role from the database.
 */
export const requestCookies = new Map<string, string>();

export function setSessionCookie(token: string | null) {
  requestCookies.clear();
  if (token) requestCookies.set("authjs.session-token", token);
}

export const newSessionToken = () => randomBytes(32).toString("base64url");

/** Module stand-ins, for `vi.mock("next/headers", async () => (await import("./console-session")).nextHeaders)`. */
export const nextHeaders = {
  cookies: async () => ({
    get: (name: string) => (requestCookies.has(name) ? { name, value: requestCookies.get(name)! } : undefined),
    getAll: () => [...requestCookies].map(([name, value]) => ({ name, value })),
    has: (name: string) => requestCookies.has(name),
    set: () => {},
    delete: () => {},
  }),
  headers: async () =>
    new Headers({ host: "localhost:3000", cookie: [...requestCookies].map(([name, value]) => `${name}=${value}`).join("; ") }),
};
export const nextCache = { revalidatePath: () => {}, revalidateTag: () => {}, unstable_cache: <T>(fn: T) => fn };

/** What a page or action threw in place of an answer: a redirect, a 404, or a real error. */
export function nextOutcome(error: unknown): { redirect: string } | { status: 404 } | null {
  const digest = (error as { digest?: unknown })?.digest;
  if (typeof digest !== "string") return null;
  if (digest.startsWith("NEXT_REDIRECT;")) return { redirect: digest.split(";")[2] };
  if (digest === "NEXT_HTTP_ERROR_FALLBACK;404" || digest === "NEXT_NOT_FOUND") return { status: 404 };
  return null;
}

/**
 * Serialises a server component's output to text, awaiting nested async server components,
 * so a test can search it for another tenant's data. Client components are not rendered;
 * their props (where the data travels to the browser) are serialised instead.
 */
export async function serializeTree(node: unknown, depth = 0): Promise<string> {
  if (depth > 60 || node === null || node === undefined || typeof node === "boolean") return "";
  if (typeof node === "string" || typeof node === "number" || typeof node === "bigint") return String(node);
  if (node instanceof Date) return node.toISOString();
  if (typeof node === "function" || typeof node === "symbol") return "";
  if (node instanceof Promise) return serializeTree(await node, depth + 1);
  if (Array.isArray(node)) return (await Promise.all(node.map((n) => serializeTree(n, depth + 1)))).join(" ");
  if (isValidElement(node)) {
    const type = node.type as unknown;
    const props = node.props as Record<string, unknown>;
    if (typeof type === "function" && type.constructor.name === "AsyncFunction") {
      return serializeTree(await (type as (p: unknown) => Promise<unknown>)(props), depth + 1);
    }
    return serializeTree(props, depth + 1);
  }
  if (typeof node === "object") {
    const parts = await Promise.all(Object.values(node as Record<string, unknown>).map((v) => serializeTree(v, depth + 1)));
    return parts.join(" ");
  }
  return "";
}
