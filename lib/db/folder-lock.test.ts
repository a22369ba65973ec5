import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { acquireFolderLock, currentProcess, DatabaseLockedError, LOCK_HEARTBEAT_MS, LOCK_STALE_MS, parseLock, type LockHolder } from "./folder-lock";

let dir: string;
let dataDir: string;
let lockPath: string;
const self = currentProcess();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-lock-"));
  dataDir = path.join(dir, "pglite");
  lockPath = `${dataDir}.lock`;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const writeLock = (holder: LockHolder | string) => fs.writeFileSync(lockPath, typeof holder === "string" ? holder : JSON.stringify(holder));
const lockFile = () => parseLock(fs.readFileSync(lockPath, "utf8"));
/** Sets the lock file's last heartbeat `ms` ago. */
const ageLock = (ms: number) => {
  const then = new Date(Date.now() - ms);
  fs.utimesSync(lockPath, then, then);
};

/** A live process other than this one (the test's own child). */
async function withLiveProcess<T>(run: (pid: number) => T): Promise<T> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  await new Promise((resolve) => child.once("spawn", resolve));
  try {
    return run(child.pid!);
  } finally {
    child.kill("SIGKILL");
  }
}

describe("the embedded database's folder lock", () => {
  it("records pid, boot id, hostname and start time, and removes the file on release", () => {
    const release = acquireFolderLock(dataDir);
    expect(lockFile()).toEqual({ pid: process.pid, bootId: self.bootId, hostname: os.hostname(), startTicks: self.startTicks });
    expect(self.bootId).toMatch(/^[0-9a-f-]{36}$/); // Linux, as in CI and the container
    release();
    expect(fs.existsSync(lockPath)).toBe(false);
  });

  it("refuses a second open in the same process", () => {
    const release = acquireFolderLock(dataDir);
    try {
      expect(() => acquireFolderLock(dataDir)).toThrow(DatabaseLockedError);
    } finally {
      release();
    }
  });

  it("refuses a folder held by another live process on this boot and host", async () => {
    await withLiveProcess((pid) => {
      writeLock({ ...currentProcess(), pid, startTicks: undefined });
      expect(() => acquireFolderLock(dataDir)).toThrow(`in use by another process (pid ${pid})`);
      writeLock(String(pid)); // a lock file of the first version: the bare pid
      expect(() => acquireFolderLock(dataDir)).toThrow(`(pid ${pid})`);
    });
  });

  it("takes over a lock whose holder is dead", () => {
    writeLock({ ...self, pid: 2 ** 22 + 1 }); // above Linux's pid_max: never alive
    acquireFolderLock(dataDir)();
    writeLock(String(2 ** 22 + 1));
    acquireFolderLock(dataDir)();
  });

  describe("a live pid that is not the holder any more (pid reuse)", () => {
    it("another boot: the host restarted, once the lock has missed its heartbeats", async () => {
      await withLiveProcess((pid) => {
        writeLock({ ...self, pid, bootId: "00000000-0000-4000-8000-000000000000" });
        ageLock(LOCK_STALE_MS + 1_000);
        const release = acquireFolderLock(dataDir);
        expect(lockFile()?.pid).toBe(process.pid);
        release();
      });
    });

    it("another hostname: a container replaced on the same volume, once the lock has missed its heartbeats", async () => {
      await withLiveProcess((pid) => {
        writeLock({ ...self, pid, hostname: "4f1c2a9e0b7d" });
        ageLock(LOCK_STALE_MS + 1_000);
        acquireFolderLock(dataDir)();
      });
    });

    it("the same pid started later: a process that is not the one that wrote the lock", async () => {
      await withLiveProcess((pid) => {
        writeLock({ ...self, pid, startTicks: 1 });
        acquireFolderLock(dataDir)();
      });
    });

    it("this very pid, in a process that never took the lock: a restarted container's pid 1", () => {
      writeLock({ ...self, startTicks: 1 });
      acquireFolderLock(dataDir)();
      writeLock(String(process.pid)); // the first version's lock, left by the previous pid 1
      const release = acquireFolderLock(dataDir);
      expect(lockFile()).toEqual(self);
      release();
    });
  });

  describe("a lock of another host or boot that is still being touched (two containers on one volume)", () => {
    it("is refused, naming the host, for another hostname", () => {
      writeLock({ ...self, pid: 1, hostname: "4f1c2a9e0b7d" });
      ageLock(LOCK_HEARTBEAT_MS);
      expect(() => acquireFolderLock(dataDir)).toThrow(/pid 1 on 4f1c2a9e0b7d/);
      expect(lockFile()?.hostname).toBe("4f1c2a9e0b7d");
    });

    it("is refused for another boot, even with this process's own pid", () => {
      writeLock({ ...self, bootId: "00000000-0000-4000-8000-000000000000" });
      expect(() => acquireFolderLock(dataDir)).toThrow(DatabaseLockedError);
    });

    it("stays fresh while its holder runs: the heartbeat touches it", () => {
      vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
      try {
        const release = acquireFolderLock(dataDir);
        ageLock(LOCK_STALE_MS * 2);
        vi.advanceTimersByTime(LOCK_HEARTBEAT_MS);
        expect(Date.now() - fs.statSync(lockPath).mtimeMs).toBeLessThan(LOCK_HEARTBEAT_MS);
        release();
      } finally {
        vi.useRealTimers();
      }
    });
  });

  it("ignores an unreadable lock file", () => {
    writeLock("not a lock");
    acquireFolderLock(dataDir)();
  });
});
