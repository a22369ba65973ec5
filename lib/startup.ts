import { env } from "./env";
import { closeDb } from "./db/client";
import { handleShutdownSignals } from "./shutdown";
import { secretsMustBeConfigured } from "./crypto/keys";
import { stopTelemetry } from "./telemetry";

/**
 * What is wrong with this deployment's settings, one phrase each; empty when it may start.
 * Without the check a production server on PostgreSQL starts and answers 500 on every sign-in.
 */
export function startupProblems(): string[] {
  let settings;
  try {
    settings = env();
  } catch (error) {
    // lib/env.ts lists one "  NAME: message" line per invalid variable.
    return (error as Error).message
      .split("\n")
      .slice(1)
      .map((line) => line.trim().replace(/^(\w+): (?=\1 )/, ""));
  }
  const problems: string[] = [];
  // The rule lib/crypto/keys.ts asks for the secrets under; the embedded database keeps
  // generated ones in GATEHOUSE_DATA_DIR/secrets.json instead.
  if (secretsMustBeConfigured()) {
    if (!settings.AUTH_SECRET) problems.push("AUTH_SECRET is not set (openssl rand -base64 32)");
    if (!settings.ENCRYPTION_KEY) problems.push("ENCRYPTION_KEY is not set (openssl rand -base64 32)");
  }
  return problems;
}

/** Called once by instrumentation.ts: refuse a misconfigured start with one line, then handle SIGTERM. */
export function startServer() {
  const problems = startupProblems();
  if (problems.length > 0) {
    console.error(`Gatehouse cannot start: ${problems.join("; ")}. See .env.example.`);
    process.exit(1);
  }
  // The webhook dispatcher stops first (its pass in flight records what it sent), then buffered
  // spans and metrics are flushed along with the database pools.
  const webhooks = import("./webhooks/loop");
  const closeDatabase = () =>
    webhooks
      .then((loop) => loop.stopWebhookDispatcher())
      .catch(() => {})
      .then(() => Promise.all([closeDb(), stopTelemetry()]))
      .then(() => {});
  handleShutdownSignals({ budgetMs: env().GATEHOUSE_SHUTDOWN_MS, closeDatabase });
  void webhooks.then((loop) => loop.startWebhookDispatcher()).catch((error: Error) => console.error(`Webhook dispatcher did not start: ${error.message}`));
}
