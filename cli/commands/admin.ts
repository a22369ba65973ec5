import { actors } from "../../lib/audit";
import { createPlatformAdmin, EMAIL_PATTERN, MIN_PASSWORD_LENGTH, PLATFORM_ROLES } from "../../lib/admin/admins";
import { generatePassword } from "../../lib/crypto/password";
import { box, CliError, UsageError } from "../output";
import type { Command } from "../command";
import { promptSecret, readSecretFromStdin, stdinIsTerminal } from "../secret-input";

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
    if (!EMAIL_PATTERN.test(email)) throw new UsageError("--email must be an email address, e.g. --email admin@example.com");
    if (values.password !== undefined) {
      throw new UsageError(`--password would leave the password in shell history; pipe it instead: printf '%s' "$PASSWORD" | gatehouse admin create --email ${email} --password-stdin`);
    }
    const name = typeof values.name === "string" && values.name.trim() ? values.name.trim() : undefined;
    const role = values.role === undefined ? "platform_admin" : String(values.role);
    if (!PLATFORM_ROLES.includes(role as (typeof PLATFORM_ROLES)[number])) throw new UsageError(`--role must be one of ${PLATFORM_ROLES.join(", ")}`);
    const given = await chosenPassword(Boolean(values["password-stdin"]));
    const password = given ?? generatePassword();
    const admin = await createPlatformAdmin({ email, password, name, role: role as (typeof PLATFORM_ROLES)[number] }, actors.cli());
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
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

export const adminCommands: Record<string, Command> = { create };

