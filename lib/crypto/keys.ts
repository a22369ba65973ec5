import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { env, isProduction } from "../env";
import { dataPath } from "../data-dir";

type LocalSecrets = { encryptionKey: string; authSecret: string };

let cachedLocal: LocalSecrets | undefined;

/**
 * Secrets for the embedded default: generated once into `.data/secrets.json` (mode 0600) so
 * a newcomer needs no configuration. Production deployments must set them in the env.
 */
function localSecrets(): LocalSecrets {
  if (cachedLocal) return cachedLocal;
  const file = dataPath("secrets.json");
  try {
    cachedLocal = JSON.parse(fs.readFileSync(file, "utf8")) as LocalSecrets;
    return cachedLocal;
  } catch {
    // first start: create below
  }
  const generated: LocalSecrets = {
    encryptionKey: randomBytes(32).toString("base64"),
    authSecret: randomBytes(32).toString("base64url"),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600, flag: "wx" });
    cachedLocal = generated;
  } catch {
    cachedLocal = JSON.parse(fs.readFileSync(file, "utf8")) as LocalSecrets;
  }
  return cachedLocal;
}

/**
 * Production on a shared database (any DATABASE_URL but `file:`) must set AUTH_SECRET and
 * ENCRYPTION_KEY: every instance needs the same ones. lib/startup.ts refuses to start without them.
 */
export function secretsMustBeConfigured(): boolean {
  const url = env().DATABASE_URL;
  return isProduction() && Boolean(url && !url.startsWith("file:"));
}

function requireInProduction(name: string): never {
  throw new Error(`${name} is not set. Production deployments must set it (see .env.example).`);
}

export function encryptionKey(): Buffer {
  const configured = env().ENCRYPTION_KEY;
  if (configured) return Buffer.from(configured, "base64");
  if (secretsMustBeConfigured()) requireInProduction("ENCRYPTION_KEY");
  return Buffer.from(localSecrets().encryptionKey, "base64");
}

export function authSecret(): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  if (secretsMustBeConfigured()) requireInProduction("AUTH_SECRET");
  return localSecrets().authSecret;
}
