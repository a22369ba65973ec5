import { AsyncLocalStorage } from "node:async_hooks";
import { after } from "next/server";
import { waitUntil } from "@vercel/functions";
import { errorSummary } from "./error-summary";
import { logger } from "./log";

// Writes that need not delay a response (usage counters, pruning of old rate-limit windows, last-used
// stamps) run after it, and never from a timer: a serverless instance is suspended once its
// response and waitUntil promises are done, and a timer set before that may never fire.
//
// - Inside a request, `after()` runs the task once the response is sent; on Vercel, Next
//   hands it to the platform's waitUntil, so the instance stays up until it is done.
// - Outside one (the CLI, tests, a script), the task starts at once; on Vercel it is still
//   given to waitUntil. drainDeferred() waits for whatever is still running, within a bound
//   (closeDb calls it, so a shutdown finishes them first).

const running = new Set<Promise<void>>();
const deferredScope = new AsyncLocalStorage<true>();

export function defer(label: string, task: () => Promise<unknown>): void {
  try {
    after(() => run(label, task));
    return;
  } catch {
    // `after` was called outside a request scope
  }
  waitUntil(run(label, task));
}

function run(label: string, task: () => Promise<unknown>): Promise<void> {
  const promise = deferredScope
    .run(true, () => Promise.resolve().then(task))
    .then(
      () => {},
      (error: unknown) => {
        logger.error({ task: label, err: errorSummary(error) }, "deferred work failed");
      },
    )
    .finally(() => running.delete(promise));
  running.add(promise);
  return promise;
}

/** True while a deferred task runs: its statements are not part of the request's own budget. */
export function isDeferredWork() {
  return deferredScope.getStore() === true;
}

/** Waits for deferred work still running (and work it defers in turn), for at most `timeoutMs`. */
export async function drainDeferred(timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (running.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, left);
      timer.unref?.();
    });
    await Promise.race([Promise.allSettled([...running]), bound]);
    clearTimeout(timer);
  }
  return true;
}
