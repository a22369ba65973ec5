/**
 * The activity export's two formats. CSV follows RFC 4180 (CRLF line ends; a field holding a
 * comma, quote, CR or LF is quoted, quotes doubled) and neutralises spreadsheet formulas:
 * a cell starting with = + - @, tab or CR is prefixed with ' (OWASP "CSV Injection"), so a
 * crafted userName or displayName is shown as text, never evaluated. NDJSON is one JSON
 * object per line (LF), values as stored.
 */

export type ExportFormat = "csv" | "ndjson";

export type ExportEvent = {
  id: number;
  createdAt: Date;
  tenantId: string | null;
  tenantName: string | null;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  outcome: string;
  statusCode: number | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
};

export const EXPORT_COLUMNS = [
  "id",
  "created_at",
  "tenant_id",
  "tenant_name",
  "actor_type",
  "actor_id",
  "actor_label",
  "action",
  "target_type",
  "target_id",
  "target_label",
  "outcome",
  "status_code",
  "request_id",
  "details",
] as const;

function values(event: ExportEvent): (string | number | null)[] {
  return [
    event.id,
    event.createdAt.toISOString(),
    event.tenantId,
    event.tenantName,
    event.actorType,
    event.actorId,
    event.actorLabel,
    event.action,
    event.targetType,
    event.targetId,
    event.targetLabel,
    event.outcome,
    event.statusCode,
    event.requestId,
    event.details && Object.keys(event.details).length ? JSON.stringify(event.details) : null,
  ];
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export const csvHeader = () => csvLine(EXPORT_COLUMNS);

export const csvRow = (event: ExportEvent) => csvLine(values(event));

export function ndjsonRow(event: ExportEvent): string {
  return `${JSON.stringify({
    id: event.id,
    createdAt: event.createdAt.toISOString(),
    tenantId: event.tenantId,
    tenantName: event.tenantName,
    actorType: event.actorType,
    actorId: event.actorId,
    actorLabel: event.actorLabel,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    targetLabel: event.targetLabel,
    outcome: event.outcome,
    statusCode: event.statusCode,
    requestId: event.requestId,
    details: event.details,
  })}\n`;
}

export const EXPORT_CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

/** Pages of events → the file's bytes, one page encoded per read, nothing read ahead. */
export function exportStream(pages: AsyncIterator<ExportEvent[]>, format: ExportFormat): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvHeader()));
          return;
        }
        const next = await pages.next();
        if (next.done) {
          controller.close();
          return;
        }
        const encode = format === "csv" ? csvRow : ndjsonRow;
        controller.enqueue(encoder.encode(next.value.map(encode).join("")));
      },
      async cancel() {
        await pages.return?.(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
