import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { env, isProduction } from "../env";

type LocalSecrets = { encryptionKey: string; authSecret: string };

let cachedLocal: LocalSecrets | undefined;

/**
 * Secrets for the embedded default: generated once into `.data/secrets.json` (mode 0600) so
 * a newcomer needs no configuration. Production deployments must set them in the env.
 */
function localSecrets(): LocalSecrets {
  if (cachedLocal) return cachedLocal;
  const file = path.resolve(env().GATEHOUSE_DATA_DIR, "secrets.json");
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

function requireInProduction(name: string): never {
  throw new Error(`${name} is not set. Production deployments must set it (see .env.example).`);
}

export function encryptionKey(): Buffer {
  const configured = env().ENCRYPTION_KEY;
  if (configured) return Buffer.from(configured, "base64");
  if (isProduction() && env().DATABASE_URL && !env().DATABASE_URL!.startsWith("file:")) requireInProduction("ENCRYPTION_KEY");
  return Buffer.from(localSecrets().encryptionKey, "base64");
}

export function authSecret(): string {
  const configured = env().AUTH_SECRET;
  if (configured) return configured;
  if (isProduction() && env().DATABASE_URL && !env().DATABASE_URL!.startsWith("file:")) requireInProduction("AUTH_SECRET");
  return localSecrets().authSecret;
}
