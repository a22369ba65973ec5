// "Where the time goes": a V8 .cpuprofile (node --cpu-prof) reduced to self time per function
// and per package, over the measured window only (startup and warm-up left out).
import fs from "node:fs";
import path from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  file: string;
  /** Sampled ms inside the window (idle included) and the share that was idle. */
  sampledMs: number;
  idlePct: number;
  /** True when the window was found in the profile; false: the whole profile was summarised. */
  windowed: boolean;
  packages: { pkg: string; selfMs: number; pct: number }[];
  top: { fn: string; where: string; pkg: string; selfMs: number; pct: number }[];
};

/** The server's monotonic clock in µs, the one V8 stamps profile samples with (Linux CLOCK_MONOTONIC). */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Which package a frame belongs to: node_modules/<pkg>, the app's own code, or node/V8 internals. */
export function packageOf(frame: CallFrame, root: string): string {
  const url = frame.url;
  if (!url) return /^\((garbage collector|program|idle|root)\)$/.test(frame.functionName) ? `V8 ${frame.functionName}` : "node internals (native)";
  if (url.startsWith("node:")) return "node internals";
  const file = url.startsWith("file://") ? decodeURIComponent(url.slice(7)) : url;
  const nm = file.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const parts = file.slice(nm + "/node_modules/".length).split("/");
    const pkg = parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
    if (pkg === "next") {
      const compiled = file.indexOf("/dist/compiled/");
      if (compiled >= 0) return `next (compiled ${file.slice(compiled + 15).split("/")[0]})`;
    }
    return pkg;
  }
  const bundle = file.indexOf("/.next/server/");
  if (bundle >= 0) {
    // Turbopack names chunks after what they hold: "…node_modules_<pkg>_…" for a dependency.
    const base = path.basename(file);
    const dep = /(?:^|[_\]])node_modules_(?:\.pnpm_)?(@[a-z0-9-]+_[a-z0-9.-]+|[a-z0-9.-]+?)_/i.exec(base);
    if (dep) return `${dep[1].startsWith("@") ? dep[1].replace("_", "/") : dep[1]} (bundled)`;
    return "app (.next bundle)";
  }
  if (file.startsWith(root)) return "app";
  return "other";
}

function shortWhere(frame: CallFrame, root: string) {
  if (!frame.url) return "(native)";
  let file = frame.url.startsWith("file://") ? decodeURIComponent(frame.url.slice(7)) : frame.url;
  const nm = file.lastIndexOf("/node_modules/");
  if (nm >= 0) file = file.slice(nm + 14);
  else if (file.startsWith(root)) file = path.relative(root, file);
  if (file.length > 60) file = `…${file.slice(-59)}`;
  return `${file}:${frame.lineNumber + 1}`;
}

/** Summarises one profile; `window` (monotonic µs) limits it to the measured load. */
export function summarizeProfile(file: string, root: string, window?: { fromUs: number; toUs: number }, topN = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inside = window && window.fromUs < profile.endTime && window.toUs > profile.startTime;
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (inside && (t < window.fromUs || t > window.toUs)) continue;
    // A sample stands for the interval up to the next one.
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, weight));
  }
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, { fn: string; where: string; pkg: string; us: number }>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    if (node.callFrame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    const pkg = packageOf(node.callFrame, root);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = node.callFrame.functionName || "(anonymous)";
    const where = shortWhere(node.callFrame, root);
    const key = `${fn}\u0000${where}`;
    const entry = byFunction.get(key) ?? { fn, where, pkg, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const busy = Math.max(1, total - idle);
  const pct = (us: number) => Math.round((us / busy) * 1000) / 10;
  return {
    file,
    sampledMs: Math.round(total / 1000),
    idlePct: total ? Math.round((idle / total) * 1000) / 10 : 0,
    windowed: Boolean(inside),
    packages: [...byPackage].sort((a, b) => b[1] - a[1]).map(([pkg, us]) => ({ pkg, selfMs: Math.round(us / 100) / 10, pct: pct(us) })),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((e) => ({ fn: e.fn, where: e.where, pkg: e.pkg, selfMs: Math.round(e.us / 100) / 10, pct: pct(e.us) })),
  };
}

/** Self-time percentages are of the busy (non-idle) samples in the window. */
export function printProfile(title: string, s: ProfileSummary) {
  console.log(`\n-- ${title}: ${s.sampledMs} ms sampled${s.windowed ? " (measured window)" : " (whole profile: window not found)"}, ${s.idlePct}% idle; ${path.basename(s.file)}`);
  console.log(`   by package: ${s.packages.slice(0, 8).map((p) => `${p.pkg} ${p.pct}%`).join(" · ")}`);
  const head = ["self %", "self ms", "package", "function", "where"];
  const body = s.top.map((e) => [e.pct.toFixed(1), e.selfMs.toFixed(1), e.pkg, e.fn.slice(0, 40), e.where]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `   | ${cells.map((c, i) => (i < 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ")} |`;
  console.log(line(head));
  console.log(`   |${widths.map((w, i) => (i < 2 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`);
  for (const b of body) console.log(line(b));
}

/** The one .cpuprofile a server run left in `dir`. */
export function findProfile(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  return files.length ? path.join(dir, files.sort().at(-1)!) : undefined;
}
