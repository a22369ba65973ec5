// A closed-loop HTTP load generator: each worker owns one keep-alive connection and sends
// its next request only after the previous response (no pipelining), so concurrency equals
// the number of connections. Latency is measured per request from write to last byte.
import http from "node:http";

export type Sent = { status: number; body: string; ms: number };

export type Client = {
  /** Sends one request; counted under `tag` (an error when the status is not expected). */
  request(tag: string, method: string, path: string, options?: { body?: unknown; headers?: Record<string, string>; expect?: number[] }): Promise<Sent>;
};

export type TagStats = { count: number; errors: number; latencies: number[]; firstError?: string };

export type LoadResult = {
  durationMs: number;
  connections: number;
  tags: Map<string, TagStats>;
  /** The measured window on the monotonic clock (µs), to match a server's CPU profile. */
  window: { fromUs: number; toUs: number };
};

type Worker = (client: Client, worker: number, iteration: number) => Promise<void>;

export async function runLoad(options: {
  origin: string;
  connections: number;
  durationMs: number;
  warmupMs?: number;
  headers?: Record<string, string>;
  worker: Worker;
}): Promise<LoadResult> {
  const url = new URL(options.origin);
  const tags = new Map<string, TagStats>();
  const warmupEnd = performance.now() + (options.warmupMs ?? 0);
  const deadline = warmupEnd + options.durationMs;

  const workers = Array.from({ length: options.connections }, async (_, index) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const client: Client = {
      async request(tag, method, path, { body, headers, expect = [200] } = {}) {
        const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        const started = performance.now();
        let sent: Sent;
        try {
          sent = await send(agent, url, method, path, payload, { ...options.headers, ...headers });
        } catch (error) {
          sent = { status: 0, body: String(error), ms: performance.now() - started };
        }
        // Counted: every request sent inside the window, however late its iteration began (a
        // replay iteration of 4 requests may straddle the end of the warm-up).
        if (started >= warmupEnd && started < deadline) {
          const stats = tags.get(tag) ?? { count: 0, errors: 0, latencies: [] };
          stats.count++;
          stats.latencies.push(sent.ms);
          if (!expect.includes(sent.status)) {
            stats.errors++;
            stats.firstError ??= `${method} ${path.slice(0, 120)} → ${sent.status} ${sent.body.slice(0, 200)}`;
          }
          tags.set(tag, stats);
        }
        return sent;
      },
    };
    try {
      for (let iteration = 0; performance.now() < deadline; iteration++) {
        await options.worker(client, index, iteration);
      }
    } finally {
      agent.destroy();
    }
  });
  const started = performance.now();
  await Promise.all(workers);
  const measuredFrom = Math.max(warmupEnd, started);
  // Throughput is requests sent in the window ÷ the window (steady state: completions/s).
  const measuredTo = Math.max(measuredFrom + 1, Math.min(deadline, performance.now()));
  const nowUs = Number(process.hrtime.bigint() / 1000n);
  const toUs = (t: number) => nowUs - Math.round((performance.now() - t) * 1000);
  return {
    durationMs: measuredTo - measuredFrom,
    connections: options.connections,
    tags,
    window: { fromUs: toUs(measuredFrom), toUs: toUs(measuredTo) },
  };
}

function send(agent: http.Agent, url: URL, method: string, path: string, payload: string | undefined, headers: Record<string, string | undefined>): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) all[k] = v;
    if (payload !== undefined) {
      all["content-type"] ??= "application/scim+json";
      all["content-length"] = String(Buffer.byteLength(payload));
    }
    const req = http.request({ agent, hostname: url.hostname, port: url.port, method, path, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error("timeout after 30 s")));
    req.end(payload);
  });
}

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarize(stats: TagStats, durationMs: number) {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  return {
    requests: stats.count,
    errors: stats.errors,
    rps: stats.count / (durationMs / 1000),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    firstError: stats.firstError,
  };
}
