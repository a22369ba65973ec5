import { z } from "zod";
import { getViewer } from "@/lib/auth/guards";
import { hasConsoleAccess } from "@/lib/auth/roles";
import { decodeTenantCursor, listTenants } from "@/lib/db/queries/tenants";
import { withRequestId } from "@/lib/request-id";

/**
 * The tenant pickers' search: GET ?q=&cursor=&access= → { items: [{ id, name, slug }], nextCursor }.
 * Signed-out or without a console role is a 401; a tenant's admins find only their own tenant,
 * platform roles every tenant; `access=write` keeps only tenants the viewer may change.
 * Sorted by name, keyset-paged; a malformed query is a 400.
 */

const PAGE_SIZE = 20;

const querySchema = z.object({
  q: z.string().max(200).optional(),
  cursor: z.string().max(2000).optional(),
  access: z.enum(["read", "write"]).optional(),
});

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { "cache-control": "private, no-store" } });

export const GET = withRequestId(async (request: Request) => {
  const viewer = await getViewer();
  if (!viewer || !hasConsoleAccess(viewer)) return json({ error: "Sign in to the console first." }, 401);

  const url = new URL(request.url);
  const raw: Record<string, string> = {};
  for (const key of url.searchParams.keys()) {
    const values = url.searchParams.getAll(key);
    if (values.length > 1) return json({ error: `Give ${key} once.` }, 400);
    raw[key] = values[0];
  }
  const parsed = querySchema.strict().safeParse(raw);
  if (!parsed.success) return json({ error: parsed.error.issues[0]?.message ?? "Invalid query." }, 400);
  const { q, cursor, access = "read" } = parsed.data;
  if (cursor && !decodeTenantCursor(cursor, "name")) return json({ error: "cursor is not one this list gave." }, 400);

  const writable = access === "write";
  const ids = viewer.platformRole
    ? viewer.platformRole === "platform_admin" || !writable
      ? undefined
      : []
    : viewer.tenantId && (!writable || viewer.tenantRole === "tenant_admin")
      ? [viewer.tenantId]
      : [];
  const { rows, nextCursor } = await listTenants({ search: q, ids, sort: "name", direction: "asc", after: cursor, limit: PAGE_SIZE });
  return json({ items: rows.map((t) => ({ id: t.id, name: t.name, slug: t.slug })), nextCursor });
});
