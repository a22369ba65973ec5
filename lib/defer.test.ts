import { afterEach, describe, expect, it, vi } from "vitest";
import { captureLogs } from "./log";

// next/server's after() throws outside a request scope; inside one it queues the task for
// after the response. The mock stands in for Next's request scope when `scope` is set.
const scope = vi.hoisted(() => ({ current: undefined as undefined | Array<() => unknown> }));
vi.mock("next/server", () => ({
  after(task: () => unknown) {
    if (!scope.current) throw new Error("`after` was called outside a request scope.");
    scope.current.push(task);
  },
}));

const { defer, drainDeferred, isDeferredWork } = await import("./defer");

// @vercel/functions reads the platform's request context from this symbol (get-context.js).
const VERCEL_CONTEXT = Symbol.for("@vercel/request-context");
const globals = globalThis as Record<symbol, unknown>;

afterEach(() => {
  scope.current = undefined;
  delete globals[VERCEL_CONTEXT];
});

describe("deferred writes", () => {
  it("inside a request, go to after() and run only when Next runs the after-response tasks", async () => {
    scope.current = [];
    const task = vi.fn(async () => {});
    defer("test", task);
    await Promise.resolve();
    expect(task).not.toHaveBeenCalled();
    expect(scope.current).toHaveLength(1);
    await scope.current[0]();
    expect(task).toHaveBeenCalledOnce();
  });

  it("outside a request on Vercel, are handed to the platform's waitUntil", async () => {
    const waited: Promise<unknown>[] = [];
    globals[VERCEL_CONTEXT] = { get: () => ({ waitUntil: (promise: Promise<unknown>) => waited.push(promise) }) };
    let done = false;
    defer("test", async () => {
      done = true;
    });
    expect(waited).toHaveLength(1);
    await waited[0];
    expect(done).toBe(true);
  });

  it("elsewhere, start at once and drainDeferred() waits for them and for work they defer", async () => {
    const order: string[] = [];
    defer("outer", async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push("outer");
      defer("inner", async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push("inner");
      });
    });
    expect(await drainDeferred(2_000)).toBe(true);
    expect(order).toEqual(["outer", "inner"]);
  });

  it("drainDeferred() gives up after its bound", async () => {
    let release = () => {};
    defer("stuck", () => new Promise<void>((resolve) => (release = resolve)));
    const started = Date.now();
    expect(await drainDeferred(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    release();
    expect(await drainDeferred(1_000)).toBe(true);
  });

  it("mark their own statements as deferred work, and keep a failure to a log line", async () => {
    const logs = captureLogs("error");
    const seen: boolean[] = [];
    seen.push(isDeferredWork());
    defer("failing", async () => {
      seen.push(isDeferredWork());
      throw Object.assign(new Error("duplicate key value violates unique constraint (secret detail)"), { code: "23505" });
    });
    await drainDeferred(1_000);
    expect(seen).toEqual([false, true]);
    logs.restore();
    expect(logs.records()).toEqual([expect.objectContaining({ level: "error", task: "failing", err: "Error code=23505", msg: "deferred work failed" })]);
    expect(logs.lines.join("")).not.toContain("secret detail");
  });
});
