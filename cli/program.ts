import { parseArgs } from "node:util";
import { closeDb } from "../lib/db/client";
import { DatabaseLockedError } from "../lib/db/folder-lock";
import { AdminError } from "../lib/admin/errors";
import type { Command } from "./command";
import { CliError, createOutput, UsageError, type Output } from "./output";
import { adminCommands } from "./commands/admin";
import { dbCommands } from "./commands/db";
import { tenantCommands } from "./commands/tenant";
import { tenantSettingsCommands } from "./commands/tenant-settings";
import { tokenCommands } from "./commands/token";
import { webhookCommands } from "./commands/webhook";
import { eventCommands } from "./commands/events";
import { apiKeyCommands } from "./commands/apikey";

const groups: Record<string, Record<string, Command>> = {
  tenant: { ...tenantCommands, ...tenantSettingsCommands },
  token: tokenCommands,
  webhook: webhookCommands,
  events: eventCommands,
  apikey: apiKeyCommands,
  admin: adminCommands,
  db: dbCommands,
};

function usage(): string {
  const lines = ["Usage: gatehouse <command> [options] [--json]", "", "Commands:"];
  for (const commands of Object.values(groups)) {
    for (const command of Object.values(commands)) lines.push(`  ${command.usage}\n      ${command.summary}`);
  }
  lines.push("", "Every command accepts --json for machine-readable output.");
  lines.push("The database is the app's: DATABASE_URL (unset = embedded PGlite in .data/pglite).");
  return lines.join("\n");
}

export async function runCli(argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  const out = createOutput(json);
  const [group, name, ...rest] = argv;
  if (!group || group === "--help" || group === "-h" || group === "help") {
    process.stdout.write(`${usage()}\n`);
    return group ? 0 : 2;
  }
  try {
    const command = groups[group]?.[name ?? ""];
    if (!command) {
      const known = groups[group] ? Object.keys(groups[group]).map((n) => `${group} ${n}`) : Object.keys(groups);
      throw new UsageError(`Unknown command "${[group, name].filter(Boolean).join(" ")}". Try: ${known.join(", ")}.`);
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`Usage: gatehouse ${command.usage}\n${command.summary}\n`);
      return 0;
    }
    const parsed = parseCommandArgs(command, rest);
    await command.run({ ...parsed, out });
    return 0;
  } catch (error) {
    return reportError(error, out);
  } finally {
    await closeDb().catch(() => {});
  }
}

function parseCommandArgs(command: Command, args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...command.options, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    const expected = command.positionals ?? 0;
    if (positionals.length !== expected) {
      throw new UsageError(`Expected ${expected || "no"} argument${expected === 1 ? "" : "s"}. Usage: gatehouse ${command.usage}`);
    }
    return { values, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message.split(". To specify")[0].replace(/\.$/, "");
    throw new UsageError(`${message}. Usage: gatehouse ${command.usage}`);
  }
}

function reportError(error: unknown, out: Output): number {
  const known = error instanceof CliError || error instanceof DatabaseLockedError || error instanceof AdminError;
  const message = known ? (error as Error).message : describeUnexpected(error);
  if (out.json) process.stderr.write(`${JSON.stringify({ error: message })}\n`);
  else process.stderr.write(`gatehouse: ${message}\n`);
  return error instanceof CliError ? error.exitCode : 1;
}

function describeUnexpected(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: string }).code;
  if (code === "ECONNREFUSED") return `Cannot reach the database (${error.message}). Is PostgreSQL running and DATABASE_URL right?`;
  // Drizzle wraps driver errors; the cause holds PostgreSQL's own message.
  const cause = (error as { cause?: Error }).cause;
  return cause?.message ? `${error.message.split("\n")[0]}: ${cause.message}` : error.message;
}
