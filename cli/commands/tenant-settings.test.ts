import { describe, expect, it } from "vitest";
import { UsageError } from "../output";
import { settingsPatchFromFlags } from "./tenant-settings";

describe("gatehouse tenant settings: flags become a validated patch before anything is read", () => {
  it("maps each flag to its setting, and only the flags given", () => {
    expect(settingsPatchFromFlags({})).toEqual({});
    expect(
      settingsPatchFromFlags({ "scim-rate-limit": "1200", jit: "off", "user-linking": "link", "sso-match-by": "userName", "default-token-days": "90" }),
    ).toEqual({ scimRateLimitPerMinute: 1200, jitProvisioning: false, userLinking: "link", ssoMatchBy: "userName", defaultTokenDays: 90 });
    expect(settingsPatchFromFlags({ jit: "on" })).toEqual({ jitProvisioning: true });
  });

  it.each([
    [{ "scim-rate-limit": "9" }, "--scim-rate-limit: At least 10 requests per minute"],
    [{ "scim-rate-limit": "1000001" }, "--scim-rate-limit: At most 1,000,000 requests per minute"],
    [{ "scim-rate-limit": "1e3" }, "--scim-rate-limit: Enter a number of requests per minute"],
    [{ "scim-rate-limit": "0x10" }, "--scim-rate-limit: Enter a number of requests per minute"],
    [{ "scim-rate-limit": "" }, "--scim-rate-limit: Enter a number of requests per minute"],
    [{ "scim-rate-limit": "60.5" }, "--scim-rate-limit: Enter a whole number of requests per minute"],
    [{ "default-token-days": "731" }, "--default-token-days: At most 730 days (2 years)"],
    [{ jit: "true" }, '--jit takes on or off, not "true"'],
    [{ "user-linking": "merge" }, "--user-linking: Choose what happens when a user already exists (one of: conflict, link)"],
    [{ "sso-match-by": "email" }, "--sso-match-by: Choose how signed-in users are matched (one of: automatic, objectId, userName)"],
  ])("refuses %j as a usage error naming the flag", (flags, message) => {
    let thrown: unknown;
    try {
      settingsPatchFromFlags(flags);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toBe(message);
    expect((thrown as UsageError).exitCode).toBe(2);
  });
});
