import { env } from "../../lib/env";
import { migrateDatabase, openDatabase, resolveDatabaseTarget, setDatabase, type DatabaseTarget } from "../../lib/db/client";
import { seedDatabase, type SeedResult } from "../../lib/db/seed";
import { auditCli } from "../audit";
import { box, CliError } from "../output";
import type { Command } from "../command";

function describeTarget(target: DatabaseTarget) {
  if (target.driver === "pglite") return target.dataDir ? `embedded PGlite in ${target.dataDir}` : "in-memory PGlite";
  const url = new URL(target.url);
  return `${target.driver === "neon" ? "Neon" : "PostgreSQL"} ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}

const migrate: Command = {
  summary: "Apply the SQL migrations in drizzle/ under an advisory lock (embedded PGlite also migrates whenever it opens).",
  usage: "db migrate [--skip-embedded]",
  options: { "skip-embedded": { type: "boolean" } },
  async run({ values, out }) {
    // The migration lock is a session lock, which PgBouncer's transaction mode (Neon's -pooler
    // host) does not keep: the direct URL when there is one.
    const target = resolveDatabaseTarget(env().DATABASE_URL_UNPOOLED ?? env().DATABASE_URL, env().DATABASE_DRIVER);
    if (values["skip-embedded"] && target.driver === "pglite") {
      out.result({ driver: target.driver, migrated: false }, "Embedded PGlite: migrations apply when the app opens it.");
      return;
    }
    const opened = await openDatabase(target);
    setDatabase(opened);
    await migrateDatabase(opened);
    await auditCli({ action: "db.migrated", details: { driver: opened.driver } });
    out.result({ driver: opened.driver, migrated: true }, `Migrated ${describeTarget(target)}`);
  },
};

const seed: Command = {
  summary: "Add demo data: tenant Acme Corp (acme.test), a platform admin, SCIM users and groups. Idempotent.",
  usage: "db seed [--if-preview] [--if-no-admin]",
  options: { "if-preview": { type: "boolean" }, "if-no-admin": { type: "boolean" } },
  async run({ values, out }) {
    if (values["if-preview"] && env().VERCEL_ENV !== "preview") {
      out.result({ seeded: false, reason: "not a preview deployment" }, "Not a preview deployment (VERCEL_ENV≠preview); nothing seeded.");
      return;
    }
    // A generated password would land in the build log of a publicly reachable deployment.
    if (values["if-preview"] && !env().SEED_ADMIN_PASSWORD) {
      throw new CliError(
        "Preview deployments need SEED_ADMIN_PASSWORD (at least 12 characters) in the project's Preview environment: " +
          "the seeded platform admin gets that password, and none is generated or printed. Nothing seeded.",
      );
    }
    if (values["if-no-admin"]) {
      const { countPlatformAdmins } = await import("../../lib/db/queries/admins");
      if ((await countPlatformAdmins()) > 0) {
        out.result({ seeded: false, reason: "a platform admin exists" }, "A platform admin exists; nothing seeded.");
        return;
      }
    }
    const result = await seedDatabase({ adminEmail: env().SEED_ADMIN_EMAIL, adminPassword: env().SEED_ADMIN_PASSWORD });
    out.result({ seeded: true, ...result }, () => describeSeed(result));
  },
};

function describeSeed(result: SeedResult) {
  const lines = [
    `${result.tenant.created ? "Created" : "Kept"} tenant ${result.tenant.name} (${result.tenant.slug}); ` +
      `${result.usersCreated} users and ${result.groupsCreated} groups added.`,
  ];
  if (!result.admin.created) {
    lines.push(`Platform admin ${result.admin.email} already exists (password unchanged).`);
  } else if (result.admin.passwordFrom === "environment") {
    lines.push(`Created platform admin ${result.admin.email} with the password from SEED_ADMIN_PASSWORD.`);
  } else {
    lines.push(
      box([
        "Platform admin created — sign in at /login",
        `Email:    ${result.admin.email}`,
        `Password: ${result.admin.password}`,
        "Shown only this once; reset with: npx gatehouse admin create --email …",
      ]),
    );
  }
  return lines.join("\n");
}

export const dbCommands: Record<string, Command> = { migrate, seed };
