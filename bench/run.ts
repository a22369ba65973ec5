// `npm run bench [-- --scale 100k,1m] [--drivers postgres,pglite] [--pglite-scale 100k]
//   [--duration 8] [--tenants 10000] [--only <text>] [--pool 10] [--node-args "<flags>"] [--profile [dir]] [--rebuild]`
// Builds once, then per scale and driver: fresh database → bulk seed → `next start` →
// scenarios → one table, the goals with PASS/MISS (and bench/results/*.json).
// With no flags: the acceptance run (PostgreSQL at 100k and 1M, PGlite at 100k, 10,000 tenants).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { evaluateGoals, printGoals, ratioTo, type Goal, type Row } from "./goals";
import { runLoad, summarize, type LoadResult } from "./load";
import { findProfile, printProfile, summarizeProfile, type ProfileSummary } from "./profile";
import { createTenant, seedConsoleSession, seedGroups, seedTenants, seedUsers, type Exec, type SeededTenant } from "./seed";
import { scenarios, type BenchContext, type Scenario } from "./scenarios";
import { ensureBuild, peakRssDuring, root, startServer } from "./server";

type Args = {
  scales: number[];
  drivers: string[];
  pgliteScale: number;
  duration: number;
  /** Tenants in all (the big one and the replay tenants included); 0: no customer tenants. */
  tenants: number;
  tenantUsers: number;
  only?: string;
  pool?: string;
  /** Node/V8 flags of the server under test (e.g. --max-semi-space-size=8 --trace-gc). */
  nodeArgs: string[];
  /** Directory for the server's CPU profiles (one server, and one profile, per scenario). */
  profile?: string;
  rebuild: boolean;
  server: string;
};

function parseScale(text: string) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`Bad scale "${text}" (use 10k, 100k, 1m)`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === "m" ? 1e6 : m[2].toLowerCase() === "k" ? 1e3 : 1));
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const profileAt = argv.indexOf("--profile");
  const profileDir = profileAt >= 0 ? (argv[profileAt + 1] && !argv[profileAt + 1].startsWith("--") ? argv[profileAt + 1] : "bench/results/profiles") : undefined;
  return {
    scales: (get("scale") ?? "100k,1m").split(",").map(parseScale),
    drivers: (get("drivers") ?? "postgres,pglite").split(","),
    pgliteScale: parseScale(get("pglite-scale") ?? "100k"),
    duration: Number(get("duration") ?? 8),
    tenants: Number(get("tenants") ?? 10_000),
    tenantUsers: Number(get("tenant-users") ?? 10),
    only: get("only"),
    profile: profileDir && path.resolve(root, profileDir, new Date().toISOString().replace(/[:.]/g, "-")),
    pool: get("pool"),
    nodeArgs: (get("node-args") ?? "").split(/\s+/).filter(Boolean),
    rebuild: argv.includes("--rebuild"),
    server: get("server") ?? process.env.BENCH_DATABASE_SERVER ?? "postgres://postgres@127.0.0.1:5432/postgres",
  };
}

const label = (n: number) => (n >= 1e6 ? `${n / 1e6}m` : n >= 1e3 ? `${n / 1e3}k` : String(n));

const REPLAY_TENANTS = 8;

type Uptime = { text: string; loadAverage: number[]; at: string };

function uptime(): Uptime {
  let text: string;
  try {
    text = execFileSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    text = `load average: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")}`;
  }
  return { text, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100), at: new Date().toISOString() };
}

type RunMeta = {
  driver: string;
  scale: string;
  tenants: number;
  totalUsers: number;
  seedSeconds: number;
  scenarioSeconds: number;
  idleRssMb: number;
  replayRssMb: number;
  peakRssMb: number;
  /** The floor's req/s in each of its windows (first and last scenario); ratios are to their mean. */
  floors: number[];
  pool: string;
  nodeArgs: string;
  loadAverageAfter: number[];
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const before = uptime();
  console.log(`[bench] before: ${before.text}`);
  const busy = before.loadAverage[0] > 1.0;
  if (busy) warnBusy(before);
  const buildStarted = Date.now();
  ensureBuild(args.rebuild);
  const buildSeconds = Math.round((Date.now() - buildStarted) / 1000);
  const runs: { driver: string; scale: number }[] = [];
  if (args.drivers.includes("postgres")) for (const scale of args.scales) runs.push({ driver: "postgres", scale });
  if (args.drivers.includes("pglite")) runs.push({ driver: "pglite", scale: args.pgliteScale });

  const rows: Row[] = [];
  const meta: RunMeta[] = [];
  const goals: Goal[] = [];
  const profiles: { driver: string; scale: string; scenario: string; summary: ProfileSummary }[] = [];
  for (const run of runs) {
    const result = await benchOne(run.driver, run.scale, args);
    rows.push(...result.rows);
    meta.push(result.meta);
    profiles.push(...result.profiles);
    const runGoals = evaluateGoals(result.rows, { driver: run.driver, scale: label(run.scale), peakRssMb: result.meta.peakRssMb, tenants: result.meta.tenants, totalUsers: result.meta.totalUsers });
    goals.push(...runGoals);
    printTable(result.rows);
    console.log("");
    printGoals(runGoals);
  }
  const after = uptime();
  console.log("\n== all runs ==");
  printTable(rows);
  for (const m of meta) {
    console.log(
      `${m.driver} ${m.scale}: ${m.tenants.toLocaleString("en")} tenants, ${m.totalUsers.toLocaleString("en")} users; seeded in ${m.seedSeconds} s, scenarios ${m.scenarioSeconds} s; ` +
        `floor ${m.floors.join(" and ")} req/s (ratios to the mean); server RSS peak ${m.peakRssMb} MB (replay ${m.replayRssMb} MB, idle ${m.idleRssMb} MB)${m.nodeArgs ? ` with node ${m.nodeArgs}` : ""}; load average after ${m.loadAverageAfter.join(", ")}`,
    );
  }
  if (profiles.length) {
    console.log(`\n== where the time goes (CPU profiles in ${path.relative(root, args.profile!)}) ==`);
    for (const p of profiles) printProfile(`${p.driver} ${p.scale} · ${p.scenario}`, p.summary);
  }
  console.log("\n== goals (issue 12; console: issue 13) ==");
  printGoals(goals);
  console.log(`\n== machine ==\nbefore: ${before.text}\nafter:  ${after.text}`);
  console.log(`build ${buildSeconds} s; whole run ${Math.round((Date.now() - started) / 1000)} s`);
  if (args.profile) console.log("(profiled run: the server ran under --cpu-prof and restarted per scenario; read its figures as indicative only)");
  if (busy) warnBusy(before);
  const dir = path.join(root, "bench/results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  const machine = { nproc: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
  fs.writeFileSync(
    file,
    JSON.stringify({ args, machine, uptime: { before, after }, quiet: !busy, buildSeconds, totalSeconds: Math.round((Date.now() - started) / 1000), runs: meta, goals, rows, profiles }, null, 2),
  );
  console.log(`\nwrote ${path.relative(root, file)}`);
}

function warnBusy(before: Uptime) {
  const bar = "!".repeat(78);
  console.warn(`\n${bar}\n!! WARNING: the 1-minute load average is ${before.loadAverage[0]} (> 1.0) before the start.\n!! This machine is NOT quiet: the figures below are not acceptance figures.\n${bar}\n`);
}

async function benchOne(driver: string, scale: number, args: Args) {
  console.log(`\n== ${driver} at ${label(scale)} users ==`);
  const db = await prepareDatabase(driver);
  try {
    const seedStarted = Date.now();
    const seeded = await seed(db.exec, scale, args);
    await db.finishSeeding();
    const seedSeconds = Math.round((Date.now() - seedStarted) / 100) / 10;
    const tenants = 1 + REPLAY_TENANTS + seeded.extraTenants;
    const totalUsers = scale + seeded.extraTenants * args.tenantUsers;
    console.log(
      `[bench] seeded ${label(scale)} users, ${seeded.big.groups} groups, a ${seeded.big.bigGroupMembers}-member group` +
        `${seeded.extraTenants ? `, ${seeded.extraTenants.toLocaleString("en")} more tenants × ${args.tenantUsers} users (${tenants.toLocaleString("en")} tenants, ${totalUsers.toLocaleString("en")} users)` : ""} in ${seedSeconds} s`,
    );
    const env: Record<string, string> = { DATABASE_URL: db.url };
    if (args.pool) env.DATABASE_POOL_MAX = args.pool;
    const ctx: BenchContext = { ...seeded, runId: randomBytes(3).toString("hex") };
    const only = args.only?.split(",").map((t) => t.trim()).filter(Boolean);
    const named = (s: Scenario) => Boolean(only?.some((t) => s.name.includes(t)));
    const all = scenarios(ctx).filter((s) => s.group === "floor" || (s.optIn ? named(s) : !only?.length || named(s)));
    const scenarioStarted = Date.now();
    const rows: Row[] = [];
    const profiles: { driver: string; scale: string; scenario: string; summary: ProfileSummary }[] = [];
    const floors: number[] = [];
    let replayRssMb = 0;
    let peakRssMb = 0;
    let idleRssMb = 0;
    // Without --profile one server serves every scenario; with it, one profiled server per
    // scenario (V8 writes a profile at exit), and only the measured window is summarised.
    let server = args.profile ? undefined : await startServer(env, { nodeArgs: args.nodeArgs });
    try {
      if (server) {
        await warmUp(server.origin, all);
        idleRssMb = Math.round(peakRssSync(server.pid));
      }
      for (const [index, scenario] of all.entries()) {
        const profileDir = args.profile && path.join(args.profile, `${driver}-${label(scale)}`, `${String(index).padStart(2, "0")}-${scenario.name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}`);
        if (profileDir) {
          fs.mkdirSync(profileDir, { recursive: true });
          server = await startServer(env, { nodeArgs: [...args.nodeArgs, "--cpu-prof", "--cpu-prof-dir", profileDir] });
          await warmUp(server.origin, [scenario]);
          idleRssMb ||= Math.round(peakRssSync(server.pid));
        }
        const origin = server!.origin;
        process.stdout.write(`[bench] ${scenario.name} (${scenario.connections} conns)… `);
        const measured = await peakRssDuring(server!.pid, () =>
          runLoad({ origin, connections: scenario.connections, durationMs: args.duration * 1000, warmupMs: 1000, worker: scenario.worker }),
        );
        peakRssMb = Math.max(peakRssMb, Math.round(measured.peakMb));
        if (scenario.group === "replay") replayRssMb = Math.round(measured.peakMb);
        const latency = scenario.latencyPass
          ? await runLoad({ origin, connections: 1, durationMs: Math.min(5000, Math.max(2000, args.duration * 250)), warmupMs: 300, worker: scenario.worker })
          : undefined;
        const produced = toRows(measured.result, latency, scenario, driver, scale);
        for (const row of produced) row.rssMb = Math.round(measured.peakMb);
        if (scenario.group === "floor") floors.push(produced[0].rps);
        // Provisional (to the floors so far) for the progress line; final after the loop.
        for (const row of produced) row.ratio = ratioTo(floors, row.rps);
        rows.push(...produced);
        console.log(produced.map((r) => `${r.rps.toFixed(0)} req/s p95 ${r.p95.toFixed(1)} ms${r.errors ? ` ${r.errors} errors` : ""}`).join("; "));
        for (const r of produced) if (r.firstError) console.log(`    first error: ${r.firstError}`);
        if (profileDir) {
          await server!.stop();
          server = undefined;
          const file = findProfile(profileDir);
          if (file) profiles.push({ driver, scale: label(scale), scenario: scenario.name, summary: summarizeProfile(file, root, measured.result.window) });
          else console.log(`    no .cpuprofile was written in ${path.relative(root, profileDir)}`);
        }
      }
      for (const row of rows) row.ratio = ratioTo(floors, row.rps);
      const meta: RunMeta = {
        driver,
        scale: label(scale),
        tenants,
        totalUsers,
        seedSeconds,
        scenarioSeconds: Math.round((Date.now() - scenarioStarted) / 1000),
        idleRssMb,
        replayRssMb,
        peakRssMb,
        floors: floors.map((f) => Math.round(f)),
        pool: args.pool ?? "default",
        nodeArgs: args.nodeArgs.join(" "),
        loadAverageAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
      };
      return { rows, meta, profiles };
    } catch (error) {
      if (server) console.error(server.log());
      throw error;
    } finally {
      await server?.stop();
    }
  } finally {
    await db.drop();
  }
}

function peakRssSync(pid: number) {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/** Loads every route once (first requests compile nothing in production, but open the pool). */
async function warmUp(origin: string, all: Scenario[]) {
  for (const scenario of all) {
    await runLoad({ origin, connections: 1, durationMs: 300, worker: scenario.worker });
  }
}

function toRows(result: LoadResult, latency: LoadResult | undefined, scenario: Scenario, driver: string, scale: number): Row[] {
  const rows: Row[] = [];
  const tags = [...result.tags.keys()];
  if (scenario.combined) {
    // The scenario as one figure (its goal), then each step: a connection that alternates
    // steps sends each at a fraction of its rate, so no step's row alone is the throughput.
    const all = { count: 0, errors: 0, latencies: [] as number[], firstError: undefined as string | undefined };
    for (const s of result.tags.values()) {
      all.count += s.count;
      all.errors += s.errors;
      all.latencies.push(...s.latencies);
      all.firstError ??= s.firstError;
    }
    rows.push(makeRow(scenario.combined, summarize(all, result.durationMs), undefined));
  }
  for (const tag of tags) {
    const lat = latency?.tags.get(tag);
    rows.push(makeRow(tag, summarize(result.tags.get(tag)!, result.durationMs), lat ? summarize(lat, latency!.durationMs) : undefined));
  }
  // Nothing measured (every request outlasted the window) is a row too, never a silent gap.
  if (tags.length === 0 && !scenario.combined) rows.push(makeRow(scenario.name, summarize({ count: 0, errors: 0, latencies: [] }, result.durationMs), undefined));
  return rows;

  function makeRow(name: string, s: ReturnType<typeof summarize>, c1: ReturnType<typeof summarize> | undefined): Row {
    return {
      scenario: name,
      scale: label(scale),
      driver,
      connections: result.connections,
      rps: s.rps,
      ratio: NaN,
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
      c1p50: c1?.p50,
      c1p95: c1?.p95,
      errors: s.errors + (c1?.errors ?? 0),
      requests: s.requests,
      firstError: s.firstError ?? c1?.firstError,
    };
  }
}

function printTable(rows: Row[]) {
  const head = ["scenario", "scale", "driver", "conns", "req/s", "×floor", "p50 ms", "p95 ms", "p99 ms", "c1 p50", "c1 p95", "errors", "RSS MB"];
  const f = (n: number | undefined, d = 1) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(d));
  const body = rows.map((r) => [r.scenario, r.scale, r.driver, String(r.connections), f(r.rps, 0), f(r.ratio, 2), f(r.p50), f(r.p95), f(r.p99), f(r.c1p50), f(r.c1p95), String(r.errors), f(r.rssMb, 0)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const b of body) console.log(line(b));
}

type PreparedDb = { url: string; exec: Exec; finishSeeding(): Promise<void>; drop(): Promise<void> };

async function prepareDatabase(driver: string): Promise<PreparedDb> {
  const { openDatabase, migrateDatabase, pgliteExtensions } = await import("../lib/db/client");
  if (driver === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-bench-pglite-"));
    const dataDir = path.join(dir, "pglite");
    const opened = await openDatabase({ driver: "pglite", dataDir }); // migrates
    await opened.close();
    const { PGlite } = await import("@electric-sql/pglite");
    const client = await PGlite.create(dataDir, { extensions: await pgliteExtensions() });
    return {
      url: `file:${dataDir}`,
      exec: (text, params) => client.query(text, params) as Promise<{ rows: Record<string, unknown>[] }>,
      async finishSeeding() {
        await client.exec("vacuum analyze");
        await client.close();
      },
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const args = parseArgs(process.argv.slice(2));
  const name = `gh_bench_${randomBytes(4).toString("hex")}`;
  await admin(args.server, `create database "${name}"`);
  const url = new URL(args.server);
  url.pathname = `/${name}`;
  const opened = await openDatabase({ driver: "postgres", url: url.toString() });
  await migrateDatabase(opened);
  await opened.close();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query("set synchronous_commit = off");
  await client.query("set maintenance_work_mem = '512MB'");
  return {
    url: url.toString(),
    exec: (text, params) => client.query(text, params as unknown[]),
    async finishSeeding() {
      await client.query("vacuum analyze");
      await client.end();
    },
    async drop() {
      await admin(args.server, `drop database if exists "${name}" with (force)`);
    },
  };
}

async function admin(server: string, statement: string) {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function seed(exec: Exec, scale: number, args: Args): Promise<Omit<BenchContext, "runId">> {
  const groupCount = 10_000;
  const bigMembers = Math.min(100_000, scale);
  const bigBase = await createTenant(exec, "big");
  let last = Date.now();
  await seedUsers(exec, bigBase, scale, (done) => {
    if (Date.now() - last > 5000 || done === scale) {
      last = Date.now();
      console.log(`[bench]   ${done.toLocaleString("en")} users`);
    }
  });
  await seedGroups(exec, bigBase, groupCount, bigMembers);
  const big: SeededTenant = { ...bigBase, users: scale, groups: groupCount, bigGroupMembers: bigMembers };
  const replay: SeededTenant[] = [];
  for (let t = 0; t < REPLAY_TENANTS; t++) {
    const base = await createTenant(exec, `replay${t}`);
    await seedGroups(exec, base, 1, 0);
    replay.push({ ...base, users: 0, groups: 1, bigGroupMembers: 0 });
  }
  // The rest of the platform for the console scenarios (issue 13): customer tenants up to
  // `--tenants` in all, each with `--tenant-users` users, a domain, a token and usage rows.
  const extraTenants = Math.max(0, args.tenants - 1 - REPLAY_TENANTS);
  if (extraTenants) {
    let lastTenants = Date.now();
    await seedTenants(exec, extraTenants, args.tenantUsers, (done) => {
      if (Date.now() - lastTenants > 5000 || done === extraTenants) {
        lastTenants = Date.now();
        console.log(`[bench]   ${done.toLocaleString("en")} customer tenants`);
      }
    });
  }
  const sessionToken = await seedConsoleSession(exec);
  const { rows } = await exec(
    `select created_at::text as k, id from users where tenant_id = $1 order by created_at desc, id desc offset $2 limit 1`,
    [big.id, Math.floor(scale / 2)],
  );
  const deepCursor = Buffer.from(JSON.stringify([rows[0].k, rows[0].id])).toString("base64url");
  return { big, replay, sessionToken, deepCursor, extraTenants };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
