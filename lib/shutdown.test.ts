import { EventEmitter } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handleShutdownSignals } from "./shutdown";
import { captureLogs } from "./log";

/** A process stand-in: signals are emitted by the test, exits recorded. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const proc = {
    once: emitter.once.bind(emitter),
    exit: (code?: number) => void exits.push(code ?? 0),
  } as unknown as Pick<NodeJS.Process, "once" | "exit">;
  return { proc, emitter, exits };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("SIGTERM", () => {
  it("writes its lines to the JSON logger when none is injected (lib/log.ts), as lib/startup.ts runs it", async () => {
    const logs = captureLogs("warn");
    try {
      const { proc, emitter } = fakeProcess();
      handleShutdownSignals({ budgetMs: 1_000, closeDatabase: async () => {}, proc, closeKeepAliveConnections: () => {} });
      emitter.emit("SIGTERM", "SIGTERM");
      await vi.advanceTimersByTimeAsync(1_000);
      expect(logs.records().map((record) => [record.level, record.msg])).toEqual([
        ["warn", "SIGTERM: finishing the requests in flight (at most 1000 ms), then closing the database"],
        ["warn", "Requests still open after 1000 ms (GATEHOUSE_SHUTDOWN_MS); exiting without them"],
      ]);
    } finally {
      logs.restore();
    }
  });

  it("closes the database before Next's exit after the drain, and exits 0 instead of 143", async () => {
    const { proc, emitter, exits } = fakeProcess();
    const order: string[] = [];
    handleShutdownSignals({ budgetMs: 10_000, closeDatabase: async () => void order.push("closed"), proc, log: () => {}, closeKeepAliveConnections: () => {} });
    emitter.emit("SIGTERM", "SIGTERM");
    expect(exits).toEqual([]);
    proc.exit(143); // what next/dist/server/lib/start-server.js calls once the server has closed
    await vi.advanceTimersByTimeAsync(0);
    order.push(`exit ${exits.join()}`);
    expect(order).toEqual(["closed", "exit 0"]);
  });

  it("exits 1 once GATEHOUSE_SHUTDOWN_MS has passed with requests still open", async () => {
    const { proc, emitter, exits } = fakeProcess();
    const closeDatabase = vi.fn(async () => {});
    const lines: string[] = [];
    handleShutdownSignals({ budgetMs: 5_000, closeDatabase, proc, log: (line) => lines.push(line), closeKeepAliveConnections: () => {} });
    emitter.emit("SIGTERM", "SIGTERM");
    await vi.advanceTimersByTimeAsync(4_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(closeDatabase).toHaveBeenCalledOnce();
    expect(exits).toEqual([1]);
    expect(lines.at(-1)).toMatch(/still open after 5000 ms/);
  });

  it("does not wait for a database that never closes", async () => {
    const { proc, emitter, exits } = fakeProcess();
    handleShutdownSignals({ budgetMs: 10_000, closeDatabase: () => new Promise(() => {}), proc, log: () => {}, closeKeepAliveConnections: () => {} });
    emitter.emit("SIGTERM", "SIGTERM");
    proc.exit(143);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(exits).toEqual([0]);
  });

  it("exits once, whatever comes after", async () => {
    const { proc, emitter, exits } = fakeProcess();
    const closeDatabase = vi.fn(async () => {});
    handleShutdownSignals({ budgetMs: 1_000, closeDatabase, proc, log: () => {}, closeKeepAliveConnections: () => {} });
    emitter.emit("SIGTERM", "SIGTERM");
    emitter.emit("SIGINT", "SIGINT");
    proc.exit(143);
    proc.exit(130);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(closeDatabase).toHaveBeenCalledOnce();
    expect(exits).toEqual([0]);
  });
});

describe("keep-alive connections after SIGTERM", () => {
  it("responses from the signal on say Connection: close, so a busy client's connection ends", async () => {
    vi.useRealTimers();
    const server = http.createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, { agent }, (res) => res.resume().on("end", () => resolve(res))).on("error", reject));
    try {
      expect((await get()).headers.connection).toBe("keep-alive");
      const { proc, emitter } = fakeProcess();
      handleShutdownSignals({ budgetMs: 10_000, closeDatabase: async () => {}, proc, log: () => {} });
      expect((await get()).headers.connection).toBe("keep-alive"); // nothing changes before the signal
      emitter.emit("SIGTERM", "SIGTERM");
      expect((await get()).headers.connection).toBe("close");
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
