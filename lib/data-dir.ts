import path from "node:path";
import { env } from "./env";

/**
 * A file or folder in Gatehouse's data folder (GATEHOUSE_DATA_DIR, default `.data`, relative to
 * the working directory): the embedded database and the secrets generated for it live there.
 */
export function dataPath(name: string): string {
  return path.resolve(env().GATEHOUSE_DATA_DIR, name);
}
