import "server-only";
import { z } from "zod";
import { NextResponse } from "next/server";
import { getViewer } from "@/lib/auth/guards";
import { canAccessTenant, hasConsoleAccess } from "@/lib/auth/roles";
import { actors } from "@/lib/audit";
import { recordAudit } from "@/lib/db/queries/audit";
import { activityFilterInput, activityFilterSchema, auditEventPages, toActivityFilters } from "@/lib/db/queries/activity";
import { findTenantById } from "@/lib/db/queries/tenants";
import { errorSummary } from "@/lib/error-summary";
import { logger } from "@/lib/log";
import { currentRequestId } from "@/lib/request-id";
import { tenantScope } from "@/app/(console)/_lib/scope";
import { EXPORT_CONTENT_TYPE, exportStream } from "./format";

/** Rows per keyset page: one page is all an export holds in memory. */
export const EXPORT_PAGE_SIZE = 1000;

const formatSchema = z.enum(["csv", "ndjson"]);

function refuse(status: number, error: string, fields?: Record<string, string[] | undefined>) {
  return NextResponse.json({ error, ...(fields ? { fields } : {}) }, { status, headers: { "cache-control": "no-store" } });
}

/** A read that fails mid-download ends the file early; the log says so (the client sees a failed download). */
async function* loggedPages<T>(pages: AsyncGenerator<T>, requestId: string | undefined): AsyncGenerator<T> {
  try {
    yield* pages;
  } catch (error) {
    logger.error({ requestId, err: errorSummary(error) }, "activity export failed");
    throw error;
  }
}

function stamp(date: Date) {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
}

/**
 * GET /api/console/activity/export?format=csv|ndjson&<the activity page's filter>: the filtered
 * activity log as a download, streamed in keyset pages, with the page's redaction. The export
 * is itself an audit event. A viewer reads only the tenants the console shows them; a tenant
 * outside those is a 404, a malformed filter a 400.
 */
export async function exportActivity(request: Request): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return refuse(401, "Sign in to export activity.");
  if (!hasConsoleAccess(viewer)) return refuse(403, "You do not have access to the console.");

  const url = new URL(request.url);
  const format = formatSchema.safeParse(url.searchParams.get("format") ?? "csv");
  if (!format.success) return refuse(400, "format must be csv or ndjson.");
  const parsed = activityFilterSchema.safeParse(activityFilterInput((key) => url.searchParams.get(key)));
  if (!parsed.success) return refuse(400, "The filter is not valid.", z.flattenError(parsed.error).fieldErrors);

  const filters = toActivityFilters(parsed.data);
  let tenantSlug = "all-tenants";
  if (filters.tenantId) {
    const tenant = canAccessTenant(viewer, filters.tenantId, "read") ? await findTenantById(filters.tenantId) : undefined;
    if (!tenant) return refuse(404, "Tenant not found.");
    tenantSlug = tenant.slug;
  } else if (!viewer.platformRole && viewer.tenantId) {
    const own = await findTenantById(viewer.tenantId);
    if (own) tenantSlug = own.slug;
  }

  await recordAudit({
    tenantId: filters.tenantId ?? viewer.tenantId ?? null,
    ...actors.admin(viewer),
    action: "activity.exported",
    targetType: "audit_log",
    outcome: "success",
    details: { format: format.data, filter: parsed.data },
  });

  const pages = loggedPages(auditEventPages(tenantScope(viewer), filters, EXPORT_PAGE_SIZE), await currentRequestId());
  const filename = `gatehouse-activity-${tenantSlug}-${stamp(new Date())}.${format.data}`;
  return new Response(exportStream(pages, format.data), {
    headers: {
      "content-type": EXPORT_CONTENT_TYPE[format.data],
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
