// The goals of issue 12 (and the console goal of issue 13), each judged per driver and scale
// from the rows of one run: the figure, the target, PASS or MISS. A goal whose rows had errors
// is a MISS whatever its figure.
import { isSingleResource } from "./scenarios";

export type Row = {
  scenario: string;
  scale: string;
  driver: string;
  connections: number;
  rps: number;
  ratio: number;
  p50: number;
  p95: number;
  p99: number;
  c1p50?: number;
  c1p95?: number;
  errors: number;
  requests: number;
  firstError?: string;
  /** Peak VmRSS of the server's process tree during this scenario's window (MB). */
  rssMb?: number;
};

export type RunFacts = { driver: string; scale: string; peakRssMb: number; tenants: number; totalUsers: number };

export type Goal = { goal: string; driver: string; scale: string; figure: string; target: string; pass: boolean; note?: string };

const MAX_P99_MS = 100;
const MAX_RSS_MB = 400;
const MAX_CONSOLE_P95_MS = 300;

export function evaluateGoals(rows: Row[], run: RunFacts): Goal[] {
  const goals: Goal[] = [];
  const find = (name: string | RegExp) => rows.find((r) => (typeof name === "string" ? r.scenario === name : name.test(r.scenario)));
  const add = (goal: string, figure: string, target: string, pass: boolean, note?: string) =>
    goals.push({ goal, driver: run.driver, scale: run.scale, figure, target, pass, note });
  const errorsOf = (...rs: (Row | undefined)[]) => rs.reduce((n, r) => n + (r?.errors ?? 0), 0);
  const ratioGoal = (goal: string, row: Row | undefined, min: number) => {
    if (!row) return add(goal, "not run", `≥ ${min.toFixed(2)}× floor`, false);
    if (row.requests === 0) return add(goal, "no request measured", `≥ ${min.toFixed(2)}× floor`, false);
    const errors = errorsOf(row);
    add(goal, `${row.ratio.toFixed(2)}× (${row.rps.toFixed(0)} req/s)`, `≥ ${min.toFixed(2)}× floor`, row.ratio >= min && errors === 0, errors ? `${errors} errors` : undefined);
  };

  // The lookup goals are set at 1M users on PostgreSQL and at 100k on PGlite.
  const goalScale = run.driver === "pglite" ? "100k" : "1m";
  const scaleNote = run.scale === goalScale ? "" : ` (goal scale: ${goalScale === "1m" ? "1M" : goalScale} users)`;
  for (const name of ["lookup: userName eq", "lookup: externalId eq", 'lookup: emails[type eq "work"].value eq', "lookup: GET /Users/{id}"]) {
    ratioGoal(`${name.replace("lookup: ", "")}${scaleNote}`, find(name), 0.6);
  }
  // Each connection alternates an add and a remove (the group keeps its size), so the goal is
  // read on all member requests together; the per-operation rows are each half of that.
  const big = find(/^member add\/remove, \d+-member group \(all requests\)$/);
  const small = find("member add/remove, 2-member group (all requests)");
  const bigName = big?.scenario.match(/\d+-member/)?.[0] ?? "large";
  ratioGoal(`member add/remove, ${bigName} group`, big, 0.5);
  if (!big || !small) add("member add/remove: large group within 1.2× of 2-member", "not run", "2-member ÷ large ≤ 1.20", false);
  else {
    const factor = small.rps / big.rps;
    const errors = errorsOf(big, small);
    add("member add/remove: large group within 1.2× of 2-member", `${factor.toFixed(2)} (${small.rps.toFixed(0)} vs ${big.rps.toFixed(0)} req/s)`, "2-member ÷ large ≤ 1.20", factor <= 1.2 && errors === 0, errors ? `${errors} errors` : undefined);
  }
  ratioGoal("POST /Users, 32 conns into one tenant", find("create: POST /Users, one tenant"), 0.3);
  ratioGoal("Entra replay (match → create → patch → group add)", find(/^replay: match → create/), 0.5);

  const single = rows.filter((r) => isSingleResource(r.scenario) && r.connections >= 32);
  if (single.length) {
    const over = single.filter((r) => !(r.p99 <= MAX_P99_MS));
    const worst = single.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    add(
      `p99 of every single-resource op at 32 conns (${single.length} rows)`,
      `worst ${worst.p99.toFixed(1)} ms (${worst.scenario})`,
      `≤ ${MAX_P99_MS} ms`,
      over.length === 0 && errorsOf(...single) === 0,
      over.length ? `over: ${over.map((r) => `${r.scenario} ${r.p99.toFixed(0)}`).join("; ")}` : undefined,
    );
  }
  add("server RSS peak (process tree, all scenarios)", `${run.peakRssMb.toFixed(0)} MB`, `≤ ${MAX_RSS_MB} MB`, run.peakRssMb > 0 && run.peakRssMb <= MAX_RSS_MB);

  const consoleScale = `${run.tenants.toLocaleString("en")} tenants, ${run.totalUsers.toLocaleString("en")} users`;
  const atConsoleScale = run.tenants >= 10_000 && run.totalUsers >= 1_000_000;
  for (const [goal, name] of [
    ["console: dashboard", "console: dashboard"],
    ["console: tenant list", "console: tenant list"],
    ["console: tenant search", "console: tenant search (slug)"],
    ["console: Users page", "console: Users first page"],
  ] as const) {
    const row = find(name);
    if (!row || row.requests === 0) {
      add(`${goal} p95`, row ? "no request measured" : "not run", `≤ ${MAX_CONSOLE_P95_MS} ms`, false);
      continue;
    }
    const errors = errorsOf(row);
    const notes = [errors ? `${errors} errors` : "", atConsoleScale ? "" : `at ${consoleScale} (goal scale: 10,000 tenants, 1M users)`].filter(Boolean).join("; ");
    add(`${goal} p95 (${row.connections} conns)`, `${row.p95.toFixed(1)} ms`, `≤ ${MAX_CONSOLE_P95_MS} ms`, row.p95 <= MAX_CONSOLE_P95_MS && errors === 0, notes || undefined);
  }

  const failing = rows.filter((r) => r.errors > 0 || r.requests === 0);
  add(
    "no errors in any scenario (and every one measured)",
    `${errorsOf(...rows)} errors${rows.some((r) => r.requests === 0) ? `, ${rows.filter((r) => r.requests === 0).length} rows with no request` : ""}`,
    "0",
    failing.length === 0,
    failing.length ? failing.map((r) => (r.requests === 0 ? `${r.scenario}: no request measured` : `${r.scenario}: ${r.errors} (${r.firstError ?? ""})`.slice(0, 200))).join("; ") : undefined,
  );
  return goals;
}

export function printGoals(goals: Goal[]) {
  const head = ["goal", "driver", "scale", "measured", "target", "result"];
  const body = goals.map((g) => [g.goal, g.driver, g.scale, g.figure, g.target, g.pass ? "PASS" : "MISS"]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const b of body) console.log(line(b));
  const notes = goals.filter((g) => g.note);
  if (notes.length) {
    console.log("");
    for (const g of notes) console.log(`  ${g.pass ? "PASS" : "MISS"} ${g.goal} (${g.driver} ${g.scale}): ${g.note}`);
  }
  const missed = goals.filter((g) => !g.pass).length;
  console.log(`\n${goals.length - missed} of ${goals.length} goals PASS, ${missed} MISS`);
}

/** A row's ratio to the mean of the floor windows measured so far in this server's run. */
export function ratioTo(floors: number[], rps: number) {
  const mean = floors.length ? floors.reduce((a, b) => a + b, 0) / floors.length : 0;
  return mean ? rps / mean : NaN;
}
