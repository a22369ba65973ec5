import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin/gatehouse.mjs");

export type CliRun = { code: number | null; stdout: string; stderr: string; json: <T = unknown>() => T };

/** Runs `gatehouse …` as a separate process, exactly as `npx gatehouse` would; `stdin` is piped in. */
export function runCli(args: string[], env: Record<string, string>, stdin = ""): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env } });
    child.stdin.end(stdin);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: <T,>() => {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`CLI printed no JSON.\nstdout: ${stdout}\nstderr: ${stderr}`);
          }
        },
      }),
    );
  });
}
