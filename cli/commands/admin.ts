import { upsertPlatformAdmin } from "../../lib/db/queries/admins";
import { generatePassword } from "../../lib/crypto/password";
import { auditCli } from "../audit";
import { box, CliError, UsageError } from "../output";
import type { Command } from "../program";
import { promptSecret, readSecretFromStdin, stdinIsTerminal } from "../secret-input";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 12;
/** Platform-level console roles: full access, or read-only across every tenant. */
const ROLES = ["platform_admin", "read_only"] as const;

const create: Command = {
  summary:
    "Create (or reset the password of, ending their sessions) a break-glass platform admin who signs in with a password. " +
    "The password comes from standard input (--password-stdin) or a prompt; with neither, one is generated and shown once.",
  usage: "admin create --email EMAIL [--password-stdin] [--name NAME] [--role platform_admin|read_only]",
  options: {
    email: { type: "string" },
    "password-stdin": { type: "boolean" },
    password: { type: "string" },
    name: { type: "string" },
    role: { type: "string" },
  },
  async run({ values, out }) {
    const email = String(values.email ?? "").trim();
    if (!EMAIL.test(email)) throw new UsageError("--email must be an email address, e.g. --email admin@example.com");
    if (values.password !== undefined) {
      throw new UsageError(`--password would leave the password in shell history; pipe it instead: printf '%s' "$PASSWORD" | gatehouse admin create --email ${email} --password-stdin`);
    }
    const name = typeof values.name === "string" && values.name.trim() ? values.name.trim() : undefined;
    const role = values.role === undefined ? "platform_admin" : String(values.role);
    if (!ROLES.includes(role as (typeof ROLES)[number])) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    const given = await chosenPassword(Boolean(values["password-stdin"]));
    const password = given ?? generatePassword();
    const admin = await upsertPlatformAdmin({ email, password, name, role: role as (typeof ROLES)[number] });
    await auditCli({
      action: admin.created ? "admin.created" : "admin.password_reset",
      targetType: "user",
      targetId: admin.id,
      targetLabel: admin.email,
      details: admin.created ? undefined : { sessionsEnded: admin.sessionsEnded },
    });
    const result = { id: admin.id, email: admin.email, role, created: admin.created, sessionsEnded: admin.sessionsEnded, ...(given ? {} : { password }) };
    const who = role === "read_only" ? "read-only platform admin" : "platform admin";
    const ended = admin.sessionsEnded === 1 ? "1 session ended" : `${admin.sessionsEnded} sessions ended`;
    const verb = admin.created ? `Created ${who}` : `Reset the password of ${who} (${ended})`;
    out.result(result, () =>
      given
        ? `${verb} ${admin.email}`
        : [`${verb} ${admin.email}`, box([`Email:    ${admin.email}`, `Password: ${password}`, "Shown once — store it in your password manager."])].join("\n"),
    );
  },
};

/** The password from stdin or a terminal prompt; undefined: generate one. */
async function chosenPassword(fromStdin: boolean): Promise<string | undefined> {
  let password: string | undefined;
  if (fromStdin) {
    password = await readSecretFromStdin();
    if (!password) throw new UsageError("--password-stdin read an empty password");
  } else if (stdinIsTerminal()) {
    password = (await promptSecret("Password (leave empty to generate one): ")) || undefined;
    if (password !== undefined && (await promptSecret("Repeat the password: ")) !== password) {
      throw new CliError("The two passwords differ; nothing changed.", 2);
    }
  }
  if (password !== undefined && password.length < MIN_PASSWORD) throw new UsageError(`The password must be at least ${MIN_PASSWORD} characters`);
  return password;
}

export const adminCommands: Record<string, Command> = { create };

