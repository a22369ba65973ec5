import fs from "node:fs";

/** Removes the throwaway database folder playwright.config.ts created for this run. */
export default function globalTeardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && dir.includes("gatehouse-e2e-")) fs.rmSync(dir, { recursive: true, force: true });
}
