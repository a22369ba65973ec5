// The production server under test: `next build` once (when .next is missing or older than
// the sources), then `next start` on a free port against the database being measured.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const SOURCES = ["app", "lib", "components", "proxy.ts", "next.config.ts", "package.json", "package-lock.json", "postcss.config.mjs"];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** Builds unless .next/BUILD_ID is newer than every source file. */
export function ensureBuild(force = false) {
  const buildId = path.join(root, ".next/BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
  if (!force && built > sources) {
    console.log("[bench] .next is up to date");
    return;
  }
  console.log(`[bench] next build (${built ? ".next is older than the sources" : "no build yet"})…`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) throw new Error("next build failed");
  console.log(`[bench] built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export type RunningServer = { origin: string; pid: number; stop(): Promise<void>; log(): string };

/**
 * `nodeArgs` go before next's bin on the server's own node command line (e.g. `--cpu-prof
 * --cpu-prof-dir <dir>`): `next start` serves from that process, so a profile covers the
 * server; V8 writes it when the process exits, which `stop()` waits for.
 */
export async function startServer(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<RunningServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ENCRYPTION_KEY: "Z2F0ZWhvdXNlLWJlbmNoLWtleS1ub3QtYS1zZWNyZXQ=",
      AUTH_SECRET: "bench-auth-secret-that-is-at-least-32-characters-long",
      AUTH_URL: origin,
      AUTH_TRUST_HOST: "true",
      ...env,
    },
  });
  // BENCH_SERVER_LOG=<file>: the server's whole output, e.g. `--node-options --trace-gc` lines.
  const logFile = process.env.BENCH_SERVER_LOG;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (logFile) fs.appendFileSync(logFile, chunk);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${origin}/api/health/live`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    origin,
    pid: child.pid!,
    log: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      // A profiled server writes its .cpuprofile on the way out: give it time.
      const timer = setTimeout(() => child.kill("SIGKILL"), options.nodeArgs?.length ? 30_000 : 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** VmRSS of a process and its descendants, in MB (Linux /proc). */
export function treeRssMb(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited meanwhile
    }
  }
  let kb = 0;
  const visit = (p: number) => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
      if (match) kb += Number(match[1]);
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return kb / 1024;
}

/** Samples the server's RSS while `work` runs; returns the peak. */
export async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peakMb = treeRssMb(pid);
  const timer = setInterval(() => {
    peakMb = Math.max(peakMb, treeRssMb(pid));
  }, 250);
  try {
    const result = await work();
    peakMb = Math.max(peakMb, treeRssMb(pid));
    return { result, peakMb };
  } finally {
    clearInterval(timer);
  }
}
