import { upsertPlatformAdmin } from "../../lib/db/queries/admins";
import { generatePassword } from "../../lib/crypto/password";
import { auditCli } from "../audit";
import { box, UsageError } from "../output";
import type { Command } from "../program";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 12;
/** Platform-level console roles: full access, or read-only across every tenant. */
const ROLES = ["platform_admin", "read_only"] as const;

const create: Command = {
  summary: "Create (or reset the password of) a break-glass platform admin who signs in with a password.",
  usage: "admin create --email EMAIL [--password PASSWORD] [--name NAME] [--role platform_admin|read_only]",
  options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, role: { type: "string" } },
  async run({ values, out }) {
    const email = String(values.email ?? "").trim();
    if (!EMAIL.test(email)) throw new UsageError("--email must be an email address, e.g. --email admin@example.com");
    const given = typeof values.password === "string" ? values.password : undefined;
    if (given !== undefined && given.length < MIN_PASSWORD) throw new UsageError(`--password must be at least ${MIN_PASSWORD} characters`);
    const password = given ?? generatePassword();
    const name = typeof values.name === "string" && values.name.trim() ? values.name.trim() : undefined;
    const role = values.role === undefined ? "platform_admin" : String(values.role);
    if (!ROLES.includes(role as (typeof ROLES)[number])) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    const admin = await upsertPlatformAdmin({ email, password, name, role: role as (typeof ROLES)[number] });
    await auditCli({
      action: admin.created ? "admin.created" : "admin.password_reset",
      targetType: "user",
      targetId: admin.id,
      targetLabel: admin.email,
    });
    const result = { id: admin.id, email: admin.email, role, created: admin.created, ...(given ? {} : { password }) };
    const who = role === "read_only" ? "read-only platform admin" : "platform admin";
    const verb = admin.created ? `Created ${who}` : `Reset the password of ${who}`;
    out.result(result, () =>
      given
        ? `${verb} ${admin.email}`
        : [`${verb} ${admin.email}`, box([`Email:    ${admin.email}`, `Password: ${password}`, "Shown once — store it in your password manager."])].join("\n"),
    );
  },
};

export const adminCommands: Record<string, Command> = { create };

