import http from "node:http";
import type { AddressInfo } from "node:net";
import { metrics, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "./env";
import { inSpan, scimCounters, startTelemetry, stopTelemetry, telemetryConfigured } from "./telemetry";

const OTEL_KEYS = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_SDK_DISABLED"];

function setEnv(values: Record<string, string>) {
  Object.assign(process.env, values);
  resetEnvCache();
}

afterEach(async () => {
  await stopTelemetry();
  for (const key of OTEL_KEYS) delete process.env[key];
  resetEnvCache();
});

/** A stand-in OTLP/HTTP collector: records the paths it was sent to. */
async function collector() {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      paths.push(request.url ?? "");
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, paths, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("off unless configured", () => {
  it("starts no SDK without an OTLP endpoint: spans do not record and counters are no-ops", async () => {
    expect(telemetryConfigured()).toBe(false);
    expect(await startTelemetry()).toBeUndefined();
    await inSpan("scim.users.create", {}, async (span) => expect(span.isRecording()).toBe(false));
    expect(metrics.getMeterProvider().constructor.name).toBe("NoopMeterProvider");
    expect(scimCounters().requests.constructor.name).toBe("NoopCounterMetric");
  });

  it("OTEL_SDK_DISABLED=true wins over a configured endpoint", async () => {
    setEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SDK_DISABLED: "TRUE" });
    expect(telemetryConfigured()).toBe(false);
    expect(await startTelemetry()).toBeUndefined();
  });
});

describe("configured with OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  it("exports spans and counters over OTLP/HTTP to the endpoint's /v1/traces and /v1/metrics", async () => {
    const otlp = await collector();
    try {
      setEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url });
      expect(await startTelemetry()).toBeDefined();
      await inSpan("scim.users.create", { "scim.operation": "create" }, async (span) => expect(span.isRecording()).toBe(true));
      scimCounters().requests.add(1, { "gatehouse.tenant_id": "t1" });
      await stopTelemetry(); // flushes both signals
      expect(otlp.paths.sort()).toEqual(["/v1/metrics", "/v1/traces"]);
      expect(trace.getTracer("x").startSpan("after").isRecording()).toBe(false);
    } finally {
      await otlp.close();
    }
  });
});
