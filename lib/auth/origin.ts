import "server-only";
import { headers } from "next/headers";
import { appUrl } from "../env";

/** Our public origin: APP_URL when set (it is what the IdP has registered), else the request's. */
export async function publicOrigin() {
  const configured = appUrl();
  if (configured) return new URL(configured).origin;
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  const proto = (h.get("x-forwarded-proto") ?? "http").split(",")[0].trim();
  return `${proto}://${host}`;
}
