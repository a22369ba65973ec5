import { describe, expect, it } from "vitest";
import { endOfDayUtc, isAllowedTokenExpiry, isoDateFromToday, latestTokenExpiry, MAX_TOKEN_DAYS } from "./token-lifetime";

describe("isoDateFromToday", () => {
  it("counts UTC calendar days, across month and year ends", () => {
    const now = new Date("2026-12-31T23:30:00Z");
    expect(isoDateFromToday(0, now)).toBe("2026-12-31");
    expect(isoDateFromToday(1, now)).toBe("2027-01-01");
    expect(isoDateFromToday(60, now)).toBe("2027-03-01");
  });

  it("uses the UTC date even where the local day differs (just after midnight UTC)", () => {
    expect(isoDateFromToday(30, new Date("2026-02-28T00:05:00Z"))).toBe("2026-03-30");
  });

  it("agrees with the latest expiry the server allows: the picker's max is accepted, a day more is not", () => {
    const now = new Date("2026-06-15T10:00:00Z");
    const max = isoDateFromToday(MAX_TOKEN_DAYS, now);
    expect(endOfDayUtc(max).getTime()).toBe(latestTokenExpiry(now).getTime());
    expect(isAllowedTokenExpiry(endOfDayUtc(max), now)).toBe(true);
    expect(isAllowedTokenExpiry(endOfDayUtc(isoDateFromToday(MAX_TOKEN_DAYS + 1, now)), now)).toBe(false);
  });
});
