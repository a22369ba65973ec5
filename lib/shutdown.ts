import http from "node:http";
import { logger } from "./log";

type ShutdownOptions = {
  /** How long in-flight requests may take (GATEHOUSE_SHUTDOWN_MS). */
  budgetMs: number;
  closeDatabase: () => Promise<void>;
  /** Injected by tests; the real process and HTTP responses otherwise. */
  proc?: Pick<NodeJS.Process, "once" | "exit">;
  closeKeepAliveConnections?: () => void;
  /** Where the two shutdown lines go: the JSON logger (lib/log.ts) unless a test injects one. */
  log?: (line: string) => void;
};

const CLOSE_DATABASE_MS = 3_000;

/**
 * SIGTERM (docker stop, a rolling deploy) or SIGINT. Next's server already stops accepting
 * connections, waits for the requests in flight and then calls `process.exit(143)`
 * (next/dist/server/lib/start-server.js), with no hook in between. This adds what it lacks:
 * a bound on that wait, closing the database pools (PGlite: a clean shutdown and the folder
 * lock released) before the exit, and exit code 0 when every request was answered. Closing
 * the listener does not end keep-alive connections, and a busy client (Entra's provisioning
 * service, a load test) would keep one busy until the bound: from the signal on, every response
 * says `Connection: close`, so each connection ends with the request it is serving.
 */
export function handleShutdownSignals({
  budgetMs,
  closeDatabase,
  proc = process,
  log = (line) => logger.warn(line),
  closeKeepAliveConnections = answerWithConnectionClose,
}: ShutdownOptions) {
  let started = false;
  let finishing: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    const exit = proc.exit.bind(proc);
    const finish = (code: number) =>
      (finishing ??= Promise.race([closeDatabase().catch(() => {}), delay(CLOSE_DATABASE_MS)]).then(() => {
        exit(code);
      }));
    log(`${signal}: finishing the requests in flight (at most ${budgetMs} ms), then closing the database`);
    closeKeepAliveConnections();
    // Next exits with 128 + the signal number once the server has drained: that is a clean stop.
    proc.exit = ((code?: number | string | null) => {
      const drained = code === undefined || code === null || code === 0 || code === 143 || code === 130;
      void finish(drained ? 0 : Number(code) || 1);
    }) as NodeJS.Process["exit"];
    setTimeout(() => {
      log(`Requests still open after ${budgetMs} ms (GATEHOUSE_SHUTDOWN_MS); exiting without them`);
      void finish(1);
    }, budgetMs).unref();
  };
  proc.once("SIGTERM", onSignal);
  proc.once("SIGINT", onSignal);
}

function delay(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
}

/** Node ends the connection after a response whose headers say `Connection: close` (every response goes through writeHead). */
function answerWithConnectionClose() {
  const writeHead = http.ServerResponse.prototype.writeHead;
  http.ServerResponse.prototype.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) this.setHeader("connection", "close");
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof writeHead;
}
