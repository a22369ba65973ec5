import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "../harness";
import { createScimTenant } from "./client";
import { updateTenant } from "@/lib/db/queries/tenants";
import { forgetTenantLimit } from "@/lib/scim-server/limits";

// The SDK's own in-memory exporter and reader stand in for an OTLP collector.
setupTestDatabase();

const spans = new InMemorySpanExporter();
const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const reader = new PeriodicExportingMetricReader({ exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE), exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });

beforeAll(() => {
  tracerProvider.register();
  metrics.setGlobalMeterProvider(meterProvider);
});

afterAll(async () => {
  await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
});

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/** The counter's value for the data point whose attributes include `match`. */
function counter(resourceMetrics: ResourceMetrics, name: string, match: Record<string, unknown>) {
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  const points = (metric?.dataPoints ?? []).filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v));
  return points.reduce((sum, p) => sum + (p.value as number), 0);
}

describe("OpenTelemetry for SCIM", () => {
  it("a create produces a scim.users.create span with tenant, resource type, operation, status and DB time", async () => {
    const { tenant, scim } = await createScimTenant();
    spans.reset();
    const created = await scim.post("/Users", { schemas: [USER], userName: "ada@acme.test" });
    expect(created.status).toBe(201);
    const span = spans.getFinishedSpans().find((s) => s.name === "scim.users.create");
    expect(span).toBeDefined();
    expect(span!.attributes).toMatchObject({
      "gatehouse.tenant_id": tenant.id,
      "scim.resource_type": "User",
      "scim.operation": "create",
      "http.response.status_code": 201,
    });
    expect(span!.attributes["gatehouse.db.duration_ms"]).toBeGreaterThan(0);
    expect(span!.attributes["gatehouse.db.statements"]).toBeGreaterThan(0);
  });

  it("counts requests and errors per tenant", async () => {
    const { tenant, scim } = await createScimTenant();
    const tenantSeries = { "gatehouse.tenant_id": tenant.id };
    await scim.post("/Users", { schemas: [USER], userName: "bob@acme.test" });
    await scim.get("/Users");
    const duplicate = await scim.post("/Users", { schemas: [USER], userName: "bob@acme.test" });
    expect(duplicate.status).toBe(409);
    const { resourceMetrics } = await reader.collect();
    expect(counter(resourceMetrics, "gatehouse.scim.requests", tenantSeries)).toBe(3);
    expect(counter(resourceMetrics, "gatehouse.scim.requests", { ...tenantSeries, "scim.operation": "create" })).toBe(2);
    expect(counter(resourceMetrics, "gatehouse.scim.errors", { ...tenantSeries, "http.response.status_code": 409 })).toBe(1);
    expect(counter(resourceMetrics, "gatehouse.scim.rate_limited", tenantSeries)).toBe(0);
  });

  it("counts 429s per tenant", async () => {
    const { tenant, scim } = await createScimTenant();
    await updateTenant(tenant.id, { settings: { scimRateLimitPerMinute: 2 } });
    forgetTenantLimit(tenant.id);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await scim.get("/ServiceProviderConfig")).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    const { resourceMetrics } = await reader.collect();
    expect(counter(resourceMetrics, "gatehouse.scim.rate_limited", { "gatehouse.tenant_id": tenant.id })).toBe(2);
    expect(counter(resourceMetrics, "gatehouse.scim.errors", { "gatehouse.tenant_id": tenant.id, "http.response.status_code": 429 })).toBe(2);
  });

  it("never records a tenant id that no token proved", async () => {
    const { tenant } = await createScimTenant();
    const { scimClient } = await import("./client");
    spans.reset();
    expect((await scimClient(tenant.id, "wrong-token").get("/Groups")).status).toBe(401);
    const span = spans.getFinishedSpans().find((s) => s.name === "scim.groups.list");
    expect(span?.attributes).toMatchObject({ "http.response.status_code": 401, "scim.resource_type": "Group" });
    expect(span?.attributes["gatehouse.tenant_id"]).toBeUndefined();
    const { resourceMetrics } = await reader.collect();
    expect(counter(resourceMetrics, "gatehouse.scim.requests", { "gatehouse.tenant_id": tenant.id })).toBe(0);
  });
});
