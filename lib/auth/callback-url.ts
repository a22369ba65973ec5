/**
 * Only same-origin paths may be a post-sign-in destination: no scheme, no host, no
 * protocol-relative `//evil.example`, no backslash tricks. Anything else falls back.
 */
export function safeCallbackPath(candidate: string | null | undefined, fallback = "/"): string {
  if (!candidate) return fallback;
  const value = candidate.trim();
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  if (/[\u0000-\u001f]/.test(value)) return fallback;
  try {
    const parsed = new URL(value, "http://gatehouse.invalid");
    if (parsed.origin !== "http://gatehouse.invalid") return fallback;
    return `${parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return fallback;
  }
}
