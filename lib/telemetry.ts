import { metrics, SpanStatusCode, trace, type Attributes, type Counter, type MeterProvider, type Span } from "@opentelemetry/api";
import { env } from "./env";

// OpenTelemetry traces and metrics, off unless an OTLP endpoint is configured
// (OTEL_EXPORTER_OTLP_ENDPOINT, or the per-signal _TRACES_/_METRICS_ENDPOINT), and never
// when OTEL_SDK_DISABLED=true. Off, only the API's no-op tracer and meter run: no SDK is
// loaded. The exporters read the other standard variables themselves (OTEL_SERVICE_NAME,
// OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES, OTEL_METRIC_EXPORT_INTERVAL…).

export function telemetryConfigured() {
  const e = env();
  if (e.OTEL_SDK_DISABLED?.toLowerCase() === "true") return false;
  return Boolean(e.OTEL_EXPORTER_OTLP_ENDPOINT || e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || e.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT);
}

type Started = { shutdown(): Promise<void> };
let started: Promise<Started | undefined> | undefined;

/** Starts the SDK with OTLP/HTTP exporters when configured (instrumentation.ts); resolves to undefined when off. */
export function startTelemetry() {
  started ??= telemetryConfigured() ? startSdk() : Promise.resolve(undefined);
  return started;
}

/** Flushes and stops the SDK, if it was started (graceful shutdown, tests). */
export async function stopTelemetry() {
  const sdk = await started;
  started = undefined;
  await sdk?.shutdown();
}

async function startSdk(): Promise<Started> {
  const [{ NodeTracerProvider, BatchSpanProcessor }, { MeterProvider, PeriodicExportingMetricReader }, traces, metricsExporter, resources] =
    await Promise.all([
      import("@opentelemetry/sdk-trace-node"),
      import("@opentelemetry/sdk-metrics"),
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/exporter-metrics-otlp-http"),
      import("@opentelemetry/resources"),
    ]);
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ "service.name": "gatehouse" }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new traces.OTLPTraceExporter())] });
  tracerProvider.register();
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new metricsExporter.OTLPMetricExporter() })],
  });
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    async shutdown() {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
      trace.disable();
      metrics.disable();
    },
  };
}

const tracer = trace.getTracer("gatehouse");

/** Runs `fn` in an active span; an exception marks the span as failed and is rethrown. */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

type ScimCounters = { provider: MeterProvider; requests: Counter; errors: Counter; rateLimited: Counter };
let counters: ScimCounters | undefined;

// The global meter provider can be set after this module loaded (instrumentation.ts, tests).
export function scimCounters(): ScimCounters {
  const provider = metrics.getMeterProvider();
  if (counters?.provider !== provider) {
    const meter = provider.getMeter("gatehouse");
    counters = {
      provider,
      requests: meter.createCounter("gatehouse.scim.requests", { description: "SCIM requests answered", unit: "{request}" }),
      errors: meter.createCounter("gatehouse.scim.errors", { description: "SCIM requests answered with a 4xx or 5xx status", unit: "{request}" }),
      rateLimited: meter.createCounter("gatehouse.scim.rate_limited", { description: "SCIM requests refused with 429", unit: "{request}" }),
    };
  }
  return counters;
}
