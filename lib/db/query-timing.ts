import { requestContext } from "../request-id";

// Adds the wall time of every statement to the current request's DB time (a SCIM span's
// `gatehouse.db.duration_ms`). Wraps the driver client drizzle is given: `query` of a PGlite
// instance, a pg or Neon Pool, the pool clients `connect()` hands out for transactions, and
// the transaction handle PGlite passes to `transaction()` callbacks. Outside a request it
// costs one AsyncLocalStorage lookup per statement.

type Fn = (...args: unknown[]) => unknown;

export function timedClient<C extends object>(client: C): C {
  return new Proxy(client, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      const method = value as Fn;
      if (property === "query") return (...args: unknown[]) => timed(() => method.apply(target, args));
      if (property === "connect") return async (...args: unknown[]) => timedClient((await method.apply(target, args)) as object);
      if (property === "transaction") {
        return (callback: Fn, ...rest: unknown[]) => method.call(target, (tx: object, ...more: unknown[]) => callback(timedClient(tx), ...more), ...rest);
      }
      return method.bind(target);
    },
  });
}

async function timed<T>(run: () => T): Promise<Awaited<T>> {
  const context = requestContext();
  if (!context) return await run();
  const started = performance.now();
  try {
    return await run();
  } finally {
    context.dbMs += performance.now() - started;
    context.dbQueries++;
  }
}
