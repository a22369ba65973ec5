import { describe, expect, it } from "vitest";
import { resolveExpiry } from "./token";

const now = new Date("2030-01-10T12:00:00Z");

describe("token expiry options", () => {
  it("defaults to the tenant's default days", () => {
    expect(resolveExpiry({}, 30, now).toISOString()).toBe("2030-02-09T12:00:00.000Z");
  });

  it("takes --days and --expires (end of that day, UTC)", () => {
    expect(resolveExpiry({ days: "7" }, 30, now).toISOString()).toBe("2030-01-17T12:00:00.000Z");
    expect(resolveExpiry({ expires: "2030-03-01" }, 30, now).toISOString()).toBe("2030-03-01T23:59:59.000Z");
  });

  it("rejects bad input with a clear message", () => {
    expect(() => resolveExpiry({ days: "0" }, 30, now)).toThrow(/--days/);
    expect(() => resolveExpiry({ days: "1.5" }, 30, now)).toThrow(/--days/);
    expect(() => resolveExpiry({ expires: "2030-02-30" }, 30, now)).toThrow(/not a date/);
    expect(() => resolveExpiry({ expires: "2029-12-31" }, 30, now)).toThrow(/in the past/);
    expect(() => resolveExpiry({ days: "3", expires: "2030-03-01" }, 30, now)).toThrow(/either/);
  });
});

describe("token lifetime: the console's cap", () => {
  it("accepts 730 days and refuses 731, by --days or --expires", () => {
    expect(resolveExpiry({ days: "730" }, 30, now).toISOString()).toBe("2032-01-10T12:00:00.000Z");
    expect(resolveExpiry({ expires: "2032-01-10" }, 30, now).toISOString()).toBe("2032-01-10T23:59:59.000Z");
    expect(() => resolveExpiry({ days: "731" }, 30, now)).toThrow("--days must be a whole number from 1 to 730");
    expect(() => resolveExpiry({ expires: "2032-01-11" }, 30, now)).toThrow("--expires must be within 730 days");
    expect(() => resolveExpiry({ days: "3650" }, 30, now)).toThrow(/--days/);
  });
});
