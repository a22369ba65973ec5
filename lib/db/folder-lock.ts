import fs from "node:fs";

/**
 * PGlite is single-process: two processes opening one data folder corrupt it. The first
 * process takes `<dir>.lock` (its pid); a second one fails with a message that says who
 * holds it. A lock left by a dead process is taken over.
 */
export function acquireFolderLock(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(readOrEmpty(lockPath), 10);
      if (holder === process.pid) throw new DatabaseLockedError(dataDir, holder);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) throw new DatabaseLockedError(dataDir, holder);
      try {
        fs.unlinkSync(lockPath);
      } catch {
        // another process took it over first; retry decides
      }
    }
  }
  throw new DatabaseLockedError(dataDir, Number.NaN);
}

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another process${Number.isFinite(pid) ? ` (pid ${pid})` : ""}. ` +
        "Stop that process first (for example the running `npm run dev`), or point DATABASE_URL at a PostgreSQL server " +
        "so that several processes can share one database.",
    );
    this.name = "DatabaseLockedError";
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
