import { env } from "../../lib/env";
import { pruneExpired } from "../../lib/events/retention";
import type { Command } from "../command";

const prune: Command = {
  summary: "Remove directory events older than EVENT_RETENTION_DAYS and webhook deliveries older than WEBHOOK_DELIVERY_RETENTION_DAYS, in small batches (the server also does it every few minutes).",
  usage: "events prune",
  options: {},
  async run({ out }) {
    const result = await pruneExpired({ budgetMs: Number.POSITIVE_INFINITY });
    const e = env();
    out.result(
      { events: result.events, deliveries: result.deliveries, batches: result.batches },
      `Removed ${result.events} events older than ${e.EVENT_RETENTION_DAYS} days and ${result.deliveries} webhook deliveries older than ${e.WEBHOOK_DELIVERY_RETENTION_DAYS} days.`,
    );
  },
};

export const eventCommands: Record<string, Command> = { prune };
