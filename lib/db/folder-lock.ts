import fs from "node:fs";
import os from "node:os";

/** Who holds a lock: enough to tell a live holder from a pid that was reused since. */
export type LockHolder = { pid: number; bootId?: string; hostname?: string; startTicks?: number };

/** How often a holder touches its lock file, and how old a foreign host's lock must be to count as abandoned. */
export const LOCK_HEARTBEAT_MS = 10_000;
export const LOCK_STALE_MS = 3 * LOCK_HEARTBEAT_MS;

type HeldLocks = Set<string>;
const held: HeldLocks = ((globalThis as { __gatehouseFolderLocks?: HeldLocks }).__gatehouseFolderLocks ??= new Set());

/**
 * PGlite is single-process: two processes opening one data folder corrupt it. The first
 * process takes `<dir>.lock` (JSON: pid, boot id, hostname, start time); a second one fails with
 * a message that says who holds it. A lock is stale, and taken over, when its holder is dead or
 * is not the process that wrote it: another boot, another host or container, or the same pid
 * started again, which is what a container restart looks like (node is pid 1 every time).
 * Another host or boot cannot be asked whether its pid is alive (two containers may share one
 * volume), so the holder touches the file every LOCK_HEARTBEAT_MS and such a lock is taken over
 * only once it has not been touched for LOCK_STALE_MS.
 */
export function acquireFolderLock(dataDir: string, self: LockHolder = currentProcess()): () => void {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      const written = JSON.stringify(self);
      fs.writeSync(fd, written);
      fs.closeSync(fd);
      held.add(lockPath);
      const heartbeat = setInterval(() => touch(lockPath), LOCK_HEARTBEAT_MS);
      heartbeat.unref();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        clearInterval(heartbeat);
        held.delete(lockPath);
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockPath, "utf8") === written) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = parseLock(readOrEmpty(lockPath));
      if (holder && holdsLock(holder, self, held.has(lockPath), lockAgeMs(lockPath))) {
        throw new DatabaseLockedError(dataDir, holder.pid, holder.hostname !== self.hostname ? holder.hostname : undefined);
      }
      try {
        fs.unlinkSync(lockPath);
      } catch {
        // another process took it over first; retry decides
      }
    }
  }
  throw new DatabaseLockedError(dataDir, Number.NaN);
}

/**
 * Whether `holder` is a live process other than a previous life of this pid. `ageMs` is how
 * long ago the lock file was last touched by its holder's heartbeat.
 */
export function holdsLock(holder: LockHolder, self: LockHolder, heldHere: boolean, ageMs = 0): boolean {
  if (differs(holder.bootId, self.bootId) || differs(holder.hostname, self.hostname)) return ageMs < LOCK_STALE_MS;
  if (holder.pid === self.pid) return heldHere && sameProcess(holder, self);
  if (!isAlive(holder.pid)) return false;
  const startTicks = processStartTicks(holder.pid);
  return !differs(holder.startTicks, startTicks);
}

function sameProcess(a: LockHolder, b: LockHolder) {
  return !differs(a.bootId, b.bootId) && !differs(a.hostname, b.hostname) && !differs(a.startTicks, b.startTicks);
}

/** Two known values that disagree; an unknown one (an older lock file, a non-Linux host) proves nothing. */
function differs<T>(a: T | undefined, b: T | undefined) {
  return a !== undefined && b !== undefined && a !== b;
}

/** A lock file of this version (JSON) or of the first one (the bare pid). */
export function parseLock(text: string): LockHolder | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Partial<LockHolder>;
    if (!Number.isInteger(value.pid) || value.pid! <= 0) return null;
    return {
      pid: value.pid!,
      bootId: typeof value.bootId === "string" ? value.bootId : undefined,
      hostname: typeof value.hostname === "string" ? value.hostname : undefined,
      startTicks: Number.isInteger(value.startTicks) ? value.startTicks : undefined,
    };
  } catch {
    return null;
  }
}

export function currentProcess(): LockHolder {
  return { pid: process.pid, bootId: bootId(), hostname: os.hostname(), startTicks: processStartTicks(process.pid) };
}

function bootId() {
  return readOrEmpty("/proc/sys/kernel/random/boot_id").trim() || undefined;
}

/** Linux: field 22 of /proc/<pid>/stat, the process start time in clock ticks since boot. */
function processStartTicks(pid: number) {
  const stat = readOrEmpty(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count from the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[19]);
  return stat && Number.isInteger(ticks) ? ticks : undefined;
}

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number, hostname?: string) {
    const who = Number.isFinite(pid) ? ` (pid ${pid}${hostname ? ` on ${hostname}` : ""})` : "";
    super(
      `The embedded database in ${dataDir} is in use by another process${who}. ` +
        (hostname ? `A lock from another host or container counts as abandoned ${LOCK_STALE_MS / 1000} s after its holder stops. ` : "") +
        "Stop that process first (for example the running `npm run dev`), or point DATABASE_URL at a PostgreSQL server " +
        "so that several processes can share one database.",
    );
    this.name = "DatabaseLockedError";
  }
}

function touch(file: string) {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // the file was removed by hand; the next open recreates it
  }
}

function lockAgeMs(file: string) {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function readOrEmpty(file: string) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
