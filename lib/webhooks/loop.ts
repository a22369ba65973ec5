import "server-only";
import { env, onVercel } from "../env";
import { logger } from "../log";
import { pruneIfDue } from "../events/retention";
import { drainWebhooks } from "./dispatcher";

/**
 * The in-process dispatcher: every GATEHOUSE_WEBHOOK_POLL_MS, drain what is due, and every few
 * minutes prune expired events and deliveries (lib/events/retention.ts). Several
 * instances may run it side by side (claims skip each other's locked rows). Not started on
 * Vercel (instances sleep between requests: the cron route drains there) or with
 * GATEHOUSE_WEBHOOK_DISPATCHER=0.
 */
let running: { stop: () => Promise<void> } | undefined;

export function startWebhookDispatcher() {
  if (running || onVercel() || env().GATEHOUSE_WEBHOOK_DISPATCHER === "0") return running;
  const interval = env().GATEHOUSE_WEBHOOK_POLL_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    current = drainWebhooks({ budgetMs: 30_000 })
      .catch((error) => logger.warn({ err: error }, "webhook dispatch pass failed"))
      .then(() => (stopped ? undefined : pruneIfDue({ budgetMs: 10_000 })))
      .catch((error) => logger.warn({ err: error }, "event retention pass failed"))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, interval).unref();
      });
  };
  timer = setTimeout(tick, interval).unref();
  running = {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // A pass in flight finishes its current request; anything unrecorded is sent again later (at least once).
      await Promise.race([current, new Promise((r) => setTimeout(r, 2_000).unref())]);
      running = undefined;
    },
  };
  return running;
}

export async function stopWebhookDispatcher() {
  await running?.stop();
}
