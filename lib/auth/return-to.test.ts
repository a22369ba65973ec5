import { afterEach, describe, expect, it } from "vitest";
import { checkReturnTo, exactOrigin } from "./return-to";
import { env, resetEnvCache } from "../env";

const allowed = ["https://gatehouse.example.com", "https://app.example.com", "http://localhost:4000"];

describe("checkReturnTo: an absolute http(s) URL on an allowed origin", () => {
  it.each([
    ["https://app.example.com/", "https://app.example.com/"],
    ["https://app.example.com/reports?view=week#top", "https://app.example.com/reports?view=week#top"],
    ["HTTPS://APP.EXAMPLE.COM/Path", "https://app.example.com/Path"],
    ["https://app.example.com:443/x", "https://app.example.com/x"],
    ["http://localhost:4000/cb", "http://localhost:4000/cb"],
    ["https://gatehouse.example.com/me", "https://gatehouse.example.com/me"],
  ])("accepts %s, redirecting to its serialisation %s", (candidate, serialised) => {
    const check = checkReturnTo(candidate, allowed);
    expect(check.ok && check.url.toString()).toBe(serialised);
  });

  it.each([
    [undefined, "Required"],
    ["", "Required"],
    ["/dashboard", "absolute"],
    ["//evil.example/x", "absolute"],
    ["javascript:alert(1)", "http or https"],
    ["data:text/html,hi", "http or https"],
    ["https://evil.example/", "HOST_APP_ORIGINS"],
    ["https://app.example.com.evil.example/", "HOST_APP_ORIGINS"],
    ["https://app.example.com@evil.example/", "user name"],
    ["https://me@app.example.com/", "user name"],
    ["http://app.example.com/", "HOST_APP_ORIGINS"],
    ["https://app.example.com:8443/", "HOST_APP_ORIGINS"],
    ["https:\\\\evil.example", "backslash"],
    ["https://app.example.com/\t", "whitespace"],
    ["https://app.example.com/\u0085", "control"],
    [`https://app.example.com/${"a".repeat(2048)}`, "Longer"],
  ])("refuses %j (%s)", (candidate, reason) => {
    const check = checkReturnTo(candidate, allowed);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(reason);
  });
});

describe("exactOrigin: HOST_APP_ORIGINS entries", () => {
  it.each([
    ["https://app.example.com", "https://app.example.com"],
    ["https://app.example.com/", "https://app.example.com"],
    ["https://App.Example.com", "https://app.example.com"],
    ["https://app.example.com:8443", "https://app.example.com:8443"],
    ["http://localhost:3001", "http://localhost:3001"],
    ["http://127.0.0.1:3001", "http://127.0.0.1:3001"],
  ])("takes %s as %s", (entry, origin) => expect(exactOrigin(entry)).toBe(origin));

  it.each(["app.example.com", "https://app.example.com/path", "https://app.example.com?x", "https://u@app.example.com", "http://app.example.com", "*", "https://*.example.com", "ftp://app.example.com", "https://app.example.com:443"])(
    "refuses %s",
    (entry) => expect(exactOrigin(entry)).toBeUndefined(),
  );
});

describe("HOST_APP_ORIGINS in lib/env.ts", () => {
  const saved = process.env.HOST_APP_ORIGINS;
  afterEach(() => {
    if (saved === undefined) delete process.env.HOST_APP_ORIGINS;
    else process.env.HOST_APP_ORIGINS = saved;
    resetEnvCache();
  });

  it("is a list of origins, empty when unset", () => {
    delete process.env.HOST_APP_ORIGINS;
    resetEnvCache();
    expect(env().HOST_APP_ORIGINS).toEqual([]);
    process.env.HOST_APP_ORIGINS = " https://app.example.com/, http://localhost:4000 ,";
    resetEnvCache();
    expect(env().HOST_APP_ORIGINS).toEqual(["https://app.example.com", "http://localhost:4000"]);
  });

  it("stops the start on an entry that is not exactly an origin, naming it", () => {
    process.env.HOST_APP_ORIGINS = "https://app.example.com,https://other.example.com/login";
    resetEnvCache();
    expect(() => env()).toThrow(/HOST_APP_ORIGINS: "https:\/\/other\.example\.com\/login" is not an origin/);
  });
});
