import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
export const root = path.resolve(import.meta.dirname, "..");
const gatehouseBin = path.join(root, "bin/gatehouse.mjs");

/** Runs `gatehouse …`; resolves with its exit code and captured stdout (stderr passes through). */
export function gatehouse(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [gatehouseBin, ...args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout }));
  });
}

/** Runs the Next.js CLI in the foreground, forwarding signals; exits with its code. */
export function runNext(args) {
  const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), ...args], { cwd: root, stdio: "inherit" });
  const forward = (signal) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, forward);
  child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    process.exit(code ?? 1);
  });
}
