import { describe, expect, it } from "vitest";
import { sessionCookieValues } from "./session-cookies";

describe("sessionCookieValues", () => {
  it("finds either Auth.js session cookie among others, in header order, trimmed", () => {
    expect(sessionCookieValues("theme=dark; authjs.session-token= abc ;__Secure-authjs.session-token=def", 512)).toEqual(["abc", "def"]);
  });

  it("ignores look-alike names, empty and over-long values, and a missing header", () => {
    expect(sessionCookieValues("xauthjs.session-token=a; authjs.session-token.0=b; authjs.session-token=", 512)).toEqual([]);
    expect(sessionCookieValues(`authjs.session-token=${"x".repeat(513)}`, 512)).toEqual([]);
    expect(sessionCookieValues(null, 512)).toEqual([]);
  });
});
