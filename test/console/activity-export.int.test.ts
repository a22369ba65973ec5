import { and, count, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { setupTestDatabase, testDriver } from "@/test/harness";
import { auditEvents } from "@/lib/db/schema";
import { createTenant } from "@/lib/db/queries/tenants";
import { recordAudit } from "@/lib/db/queries/audit";
import { auditEventPages } from "@/lib/db/queries/activity";
import { setSessionCookie } from "@/test/security/console-session";
import { signInConsoleUser, signInPlatformAdmin } from "@/test/security/signed-in-admin";

// Mocked: only Next's request context (the browser's session cookie, console-session.ts).
// The session, the guard, the queries and the audit log are real.
vi.mock("next/headers", async () => (await import("@/test/security/console-session")).nextHeaders);

const { GET } = await import("@/app/api/console/activity/export/route");
const { csvCell } = await import("@/app/api/console/activity/export/format");

const database = setupTestDatabase();

function exportUrl(params: Record<string, string>) {
  return new Request(`http://localhost:3000/api/console/activity/export?${new URLSearchParams(params)}`);
}

async function exportText(params: Record<string, string>) {
  const response = await GET(exportUrl(params));
  return { response, text: await response.text() };
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endField();
    else if (c === "\r" && text[i + 1] === "\n") {
      endField();
      records.push(record);
      record = [];
      i++;
    } else field += c;
  }
  if (field || record.length) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return records;
}

/** `total` SCIM events for one tenant, one second apart, inserted in one statement. */
async function seedEvents(tenantId: string, total: number, action = "scim.user.created") {
  await database.db.execute(sql`
    insert into audit_events (tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id, target_label, outcome, status_code, created_at)
    select ${tenantId}::uuid, 'token', 'tok', 'SCIM provisioning', ${action}, 'user', gen_random_uuid()::text, 'user' || n || '@contoso.test',
           'success', 201, timestamptz '2026-11-01T00:00:00Z' + n * interval '1 second'
    from generate_series(1, ${total}) as n`);
}

describe(`Activity export: who may export (${testDriver()})`, () => {
  let contoso: string;
  let fabrikam: string;

  beforeEach(async () => {
    await database.reset();
    contoso = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    fabrikam = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
    await recordAudit({ tenantId: contoso, actorType: "token", actorId: "t1", actorLabel: "SCIM provisioning", action: "scim.user.created", targetLabel: "adele@contoso.test", outcome: "success" });
    await recordAudit({ tenantId: fabrikam, actorType: "token", actorId: "t2", actorLabel: "SCIM provisioning", action: "scim.user.created", targetLabel: "secret-fabrikam-user@fabrikam.test", outcome: "success" });
  });

  it("answers 401 without a session, and writes no export event", async () => {
    setSessionCookie(null);
    const response = await GET(exportUrl({ format: "csv" }));
    expect(response.status).toBe(401);
    const [{ n }] = await database.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.action, "activity.exported"));
    expect(n).toBe(0);
  });

  it("answers 403 to a signed-in person without a console role", async () => {
    await signInConsoleUser(database.db, { tenantId: contoso, userName: "joe", userNameNormalized: "joe" });
    expect((await GET(exportUrl({ format: "csv" }))).status).toBe(403);
  });

  it("a tenant admin's export holds only their tenant's events", async () => {
    await signInConsoleUser(database.db, { tenantId: contoso, userName: "megan", userNameNormalized: "megan", email: "megan@contoso.test", consoleRole: "tenant_admin" });
    const { response, text } = await exportText({ format: "csv" });
    expect(response.status).toBe(200);
    expect(text).toContain("adele@contoso.test");
    expect(text).not.toContain("fabrikam");
  });

  it("a tenant admin asking for another tenant gets a 404 and none of its rows", async () => {
    await signInConsoleUser(database.db, { tenantId: contoso, userName: "megan", userNameNormalized: "megan", consoleRole: "tenant_admin" });
    for (const format of ["csv", "ndjson"]) {
      const { response, text } = await exportText({ format, tenantId: fabrikam });
      expect(response.status).toBe(404);
      expect(text).not.toContain("secret-fabrikam-user");
    }
  });

  it("a platform admin asking for an unknown tenant gets a 404", async () => {
    await signInPlatformAdmin(database.db);
    expect((await GET(exportUrl({ format: "csv", tenantId: "00000000-0000-4000-8000-000000000000" }))).status).toBe(404);
  });
});

describe(`Activity export: bad parameters are a 400, never a 5xx (${testDriver()})`, () => {
  beforeEach(async () => {
    await database.reset();
    await signInPlatformAdmin(database.db);
  });

  it.each([
    ["format", { format: "xlsx" }],
    ["tenantId", { format: "csv", tenantId: "not-a-uuid" }],
    ["outcome", { format: "csv", outcome: "maybe" }],
    ["from", { format: "csv", from: "yesterday" }],
    ["to", { format: "csv", to: "2026-02-30" }],
    ["from after to", { format: "csv", from: "2026-12-02", to: "2026-12-01" }],
    ["dir", { format: "csv", dir: "sideways" }],
    ["action", { format: "csv", action: "x".repeat(201) }],
  ])("refuses a malformed %s", async (_name, params) => {
    const response = await GET(exportUrl(params as Record<string, string>));
    expect(response.status).toBe(400);
    expect(await response.json()).toHaveProperty("error");
  });
});

describe(`Activity export: the CSV file (RFC 4180) (${testDriver()})`, () => {
  let contoso: string;

  beforeEach(async () => {
    await database.reset();
    contoso = (await createTenant({ name: "Contoso, Ltd", slug: "contoso" })).id;
    await signInPlatformAdmin(database.db);
  });

  it("quotes commas, quotes and line breaks and keeps every value intact", async () => {
    const label = 'Adele "AV" Vance,\r\nSales';
    await recordAudit({ tenantId: contoso, actorType: "token", actorId: "t1", actorLabel: "SCIM provisioning", action: "scim.user.updated", targetLabel: label, outcome: "success", details: { note: 'a "quoted", value' } });
    const { response, text } = await exportText({ format: "csv", tenantId: contoso, action: "scim." });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="gatehouse-activity-contoso-\d{8}-\d{6}\.csv"$/);
    const [header, row, ...rest] = parseCsv(text);
    expect(rest).toEqual([]);
    const record = Object.fromEntries(header.map((name, i) => [name, row[i]]));
    expect(record).toMatchObject({ tenant_name: "Contoso, Ltd", target_label: label, action: "scim.user.updated", outcome: "success" });
    expect(JSON.parse(record.details)).toEqual({ note: 'a "quoted", value' });
    expect(text).toContain('"Adele ""AV"" Vance,\r\nSales"');
  });

  it("neutralises spreadsheet formulas: a cell starting with = + - @ gets a leading '", async () => {
    for (const label of ["=HYPERLINK(\"http://evil.test\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd"]) {
      await recordAudit({ tenantId: contoso, actorType: "token", actorId: "t1", actorLabel: label, action: "scim.user.created", targetLabel: label, outcome: "success" });
    }
    const [header, ...rows] = parseCsv((await exportText({ format: "csv", tenantId: contoso, action: "scim." })).text);
    const labels = rows.map((row) => row[header.indexOf("target_label")]);
    expect(labels.sort()).toEqual(["'\tcmd", "'+1+1", "'-2+3", "'=HYPERLINK(\"http://evil.test\",\"x\")", "'@SUM(A1)"].sort());
    for (const row of rows) expect(row.every((cell) => !/^[=+\-@\t]/.test(cell))).toBe(true);
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(201)).toBe("201");
  });

  it("never exports a secret-looking detail key, as the page hides them", async () => {
    await database.db.insert(auditEvents).values({ tenantId: contoso, actorType: "admin", action: "idp.updated", outcome: "success", details: { secretReplaced: true, name: "Entra", nested: { accessToken: "leaked" } } });
    const { text } = await exportText({ format: "ndjson", tenantId: contoso, action: "idp." });
    const [line] = text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(line.details).toEqual({ name: "Entra", nested: {} });
    expect(text).not.toContain("leaked");
  });
});

describe(`Activity export: the filter, NDJSON and the audit event (${testDriver()})`, () => {
  let contoso: string;
  let fabrikam: string;
  let adminId: string;

  beforeEach(async () => {
    await database.reset();
    contoso = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    fabrikam = (await createTenant({ name: "Fabrikam", slug: "fabrikam" })).id;
    const at = (iso: string) => new Date(iso);
    await database.db.insert(auditEvents).values([
      { tenantId: contoso, actorType: "token", actorLabel: "SCIM provisioning", action: "scim.user.created", outcome: "success", createdAt: at("2026-11-30T10:00:00Z") },
      { tenantId: contoso, actorType: "token", actorLabel: "SCIM provisioning", action: "scim.user.created", outcome: "failure", statusCode: 409, createdAt: at("2026-12-01T10:00:00Z") },
      { tenantId: contoso, actorType: "token", actorLabel: "SCIM provisioning", action: "scim.group.patched", outcome: "failure", createdAt: at("2026-12-01T11:00:00Z") },
      { tenantId: contoso, actorType: "admin", actorLabel: "megan@contoso.test", action: "token.created", outcome: "failure", createdAt: at("2026-12-01T12:00:00Z") },
      { tenantId: contoso, actorType: "token", actorLabel: "SCIM provisioning", action: "scim.user.updated", outcome: "failure", createdAt: at("2026-12-02T00:00:00Z") },
      { tenantId: fabrikam, actorType: "token", actorLabel: "SCIM provisioning", action: "scim.user.created", outcome: "failure", createdAt: at("2026-12-01T10:00:00Z") },
    ]);
    adminId = await signInPlatformAdmin(database.db, "auditor@gatehouse.test");
  });

  it("applies tenant, action prefix, outcome, actor and the date range (to is inclusive)", async () => {
    const { text } = await exportText({ format: "ndjson", tenantId: contoso, action: "scim.user", outcome: "failure", actor: "scim", from: "2026-12-01", to: "2026-12-01" });
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ tenantId: contoso, action: "scim.user.created", outcome: "failure", statusCode: 409, createdAt: "2026-12-01T10:00:00.000Z" });
  });

  it("orders newest first, or oldest first with dir=asc", async () => {
    const ids = async (dir?: string) =>
      (await exportText({ format: "ndjson", tenantId: contoso, action: "scim.", ...(dir ? { dir } : {}) })).text.trimEnd().split("\n").map((l) => JSON.parse(l).createdAt as string);
    const newestFirst = await ids();
    expect(newestFirst).toEqual([...newestFirst].sort().reverse());
    expect(await ids("asc")).toEqual([...newestFirst].reverse());
  });

  it("writes NDJSON: one JSON object per LF-terminated line", async () => {
    const { response, text } = await exportText({ format: "ndjson", tenantId: contoso });
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/filename="gatehouse-activity-contoso-\d{8}-\d{6}\.ndjson"/);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n").map((line) => JSON.parse(line));
    // Newest first: the export's own event, written as it started, then the five seeded.
    expect(lines.map((l) => l.action)).toEqual(["activity.exported", "scim.user.updated", "token.created", "scim.group.patched", "scim.user.created", "scim.user.created"]);
    for (const line of lines) expect(line).toEqual(expect.objectContaining({ tenantId: contoso, tenantName: "Contoso" }));
  });

  it("audits the export: activity.exported with the filter and format, by the admin", async () => {
    await GET(exportUrl({ format: "csv", tenantId: contoso, outcome: "failure", from: "2026-12-01" }));
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, "activity.exported"));
    expect(event).toMatchObject({
      tenantId: contoso,
      actorType: "admin",
      actorId: adminId,
      actorLabel: "auditor@gatehouse.test",
      outcome: "success",
      details: { format: "csv", filter: { tenantId: contoso, outcome: "failure", from: "2026-12-01" } },
    });
  });

  it("a tenant admin's unfiltered export is audited on their own tenant", async () => {
    await signInConsoleUser(database.db, { tenantId: fabrikam, userName: "lee", userNameNormalized: "lee", consoleRole: "tenant_admin" });
    const { text } = await exportText({ format: "ndjson" });
    expect(text.trimEnd().split("\n").map((l) => JSON.parse(l).action)).toEqual(["activity.exported", "scim.user.created"]);
    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "activity.exported"), eq(auditEvents.tenantId, fabrikam)));
    expect(event).toMatchObject({ actorLabel: "lee", details: { format: "ndjson", filter: {} } });
  });
});

describe(`Activity export: any size, streamed in keyset pages (${testDriver()})`, () => {
  let contoso: string;

  beforeEach(async () => {
    await database.reset();
    contoso = (await createTenant({ name: "Contoso", slug: "contoso" })).id;
    await seedEvents(contoso, 10_000);
    await signInPlatformAdmin(database.db);
  });

  it("exports all 10,000 events (rows = count(*)), each once, as 1,000-row chunks", async () => {
    const response = await GET(exportUrl({ format: "csv", tenantId: contoso, action: "scim.user" }));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const chunks: string[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(decoder.decode(next.value));
    const [{ n }] = await database.db.select({ n: count() }).from(auditEvents).where(and(eq(auditEvents.tenantId, contoso), eq(auditEvents.action, "scim.user.created")));
    expect(n).toBe(10_000);
    const records = parseCsv(chunks.join(""));
    expect(records.length - 1).toBe(n);
    expect(new Set(records.slice(1).map((r) => r[0])).size).toBe(n);
    // The header, then one chunk per 1,000-row page: the file is never built in memory.
    expect(chunks).toHaveLength(11);
    for (const chunk of chunks.slice(1)) expect(chunk.match(/\r\n/g)).toHaveLength(1000);
  }, 60_000);

  it("reads pages only as the download asks for them", async () => {
    let fetched = 0;
    const pages = auditEventPages([contoso], { tenantId: contoso }, 1000);
    const counted: AsyncIterator<Awaited<ReturnType<typeof pages.next>>["value"] & object> = {
      next: async () => {
        const next = await pages.next();
        if (!next.done) fetched += next.value.length;
        return next;
      },
      return: (value) => pages.return(value),
    };
    const { exportStream } = await import("@/app/api/console/activity/export/format");
    const reader = exportStream(counted, "ndjson").getReader();
    const idle = () => new Promise((resolve) => setTimeout(resolve, 500));
    await idle();
    expect(fetched).toBe(0);
    await reader.read();
    await idle();
    expect(fetched).toBe(1000);
    await reader.read();
    await idle();
    expect(fetched).toBe(2000);
    await reader.cancel();
  }, 60_000);

  it("a page holds at most the page size and the pages cover the filter exactly", async () => {
    const sizes: number[] = [];
    for await (const rows of auditEventPages([contoso], { tenantId: contoso, from: new Date("2026-11-01T00:00:01Z"), to: new Date("2026-11-01T00:41:41Z") }, 1000)) sizes.push(rows.length);
    // Seconds 1..2500 of the seeded range (from inclusive, to exclusive).
    expect(sizes).toEqual([1000, 1000, 500]);
  }, 60_000);
});
