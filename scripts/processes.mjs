import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
export const root = path.resolve(import.meta.dirname, "..");
const gatehouseBin = path.join(root, "bin/gatehouse.mjs");

/**
 * V8 flags of the production server: `npm start` passes them, the container sets them as
 * NODE_OPTIONS (Dockerfile), and `npm run bench` measures with them. A 4 MB young-generation
 * semi-space instead of Node 20's 16 MB keeps the heap that 32 requests in flight leave between
 * scavenges small: the server's RSS peak fell from 411 to 362 MB in the same run, at the same
 * throughput (docs/BENCHMARKS.md, "Server RSS").
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=4"];

/** The flags to start the server with: ours, unless NODE_OPTIONS already sets the same V8 option. */
export function serverNodeFlags(nodeOptions = process.env.NODE_OPTIONS ?? "") {
  return SERVER_NODE_FLAGS.filter((flag) => !nodeOptions.includes(flag.split("=")[0]));
}

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
