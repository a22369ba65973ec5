import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, page } from "./keyset";

const SHAPE = ["string", "integer"] as const;

describe("keyset cursors", () => {
  it("round-trip the edge row's sort key", () => {
    const cursor = encodeCursor(["2026-12-01 10:00:00.123456+00", 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, SHAPE)).toEqual(["2026-12-01 10:00:00.123456+00", 42]);
  });

  it("treat a missing, tampered or foreign cursor as none: the list starts at its first page", () => {
    expect(decodeCursor(undefined, SHAPE)).toBeNull();
    expect(decodeCursor("", SHAPE)).toBeNull();
    expect(decodeCursor("not base64 json!", SHAPE)).toBeNull();
    expect(decodeCursor(Buffer.from("{\"a\":1}").toString("base64url"), SHAPE)).toBeNull();
    expect(decodeCursor(encodeCursor(["x", "42"]), SHAPE)).toBeNull();
    expect(decodeCursor(encodeCursor(["x", 1.5]), SHAPE)).toBeNull();
    expect(decodeCursor(encodeCursor(["x", 1, "extra"]), SHAPE)).toBeNull();
    expect(decodeCursor(encodeCursor(["2026-12-01", "a-uuid"]), ["string"])).toBeNull();
    expect(decodeCursor(encodeCursor(["2026-12-01", "a-uuid"]), ["string", "string"])).toEqual(["2026-12-01", "a-uuid"]);
  });
});

describe("page(rows, limit) over limit + 1 fetched rows", () => {
  const key = (n: number) => [String(n)];

  it("keeps limit rows and points the next cursor at the last one kept", () => {
    const result = page([1, 2, 3], 2, key);
    expect(result.rows).toEqual([1, 2]);
    expect(result.more).toBe(true);
    expect(decodeCursor(result.nextCursor!, ["string"])).toEqual(["2"]);
  });

  it("gives the last page no next cursor", () => {
    expect(page([1, 2], 2, key)).toEqual({ rows: [1, 2], more: false, nextCursor: null });
    expect(page([1], 2, key)).toEqual({ rows: [1], more: false, nextCursor: null });
    expect(page([], 2, key)).toEqual({ rows: [], more: false, nextCursor: null });
  });
});
