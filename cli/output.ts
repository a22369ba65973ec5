/** A failure the user can fix: printed without a stack trace. Exit 2 = usage, 1 = runtime. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UsageError";
  }
}

export type Output = {
  json: boolean;
  /** Prints `data` as JSON with --json, otherwise the friendly text. */
  result(data: unknown, text: string | (() => string)): void;
  note(text: string): void;
};

export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, text) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${typeof text === "function" ? text() : text}\n`);
    },
    note(text) {
      // Progress messages go to stderr so --json output stays parseable.
      process.stderr.write(`${text}\n`);
    },
  };
}

/** A plain text table: header row, then rows, columns padded to the widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return "never";
  const date = typeof value === "string" ? new Date(value) : value;
  return date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

/** Draws a box around lines, for the one-time admin credentials. */
export function box(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = "─".repeat(width + 2);
  return [`┌${bar}┐`, ...lines.map((l) => `│ ${l.padEnd(width)} │`), `└${bar}┘`].join("\n");
}
