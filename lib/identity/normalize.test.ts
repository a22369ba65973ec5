import { describe, expect, it } from "vitest";
import { foldName, normalizeUserName } from "./normalize";

describe("the userName key (users.user_name_normalized): NFKC, trimmed, lower case", () => {
  it("folds case and compatibility forms (RFC 7643 §4.1: userName is case-insensitive)", () => {
    expect(normalizeUserName("BJensen")).toBe(normalizeUserName("bjensen"));
    expect(normalizeUserName("ｂｊｅｎｓｅｎ")).toBe("bjensen");
    expect(normalizeUserName("ﬁle")).toBe("file");
    expect(normalizeUserName("Cafe\u0301")).toBe("café");
  });

  it("ignores surrounding white space, so a padded SCIM userName and a console email are one key", () => {
    expect(normalizeUserName(" Alice@X.example")).toBe("alice@x.example");
    expect(normalizeUserName("alice@x.example\t")).toBe("alice@x.example");
    expect(normalizeUserName("\u3000Alice@X.example\u3000")).toBe("alice@x.example");
    expect(normalizeUserName("a b")).toBe("a b");
  });
});

describe("group displayName comparison (foldName): NFKC and lower case, white space kept", () => {
  it("folds like the userName key but does not trim", () => {
    expect(foldName("ＳＡＬＥＳ")).toBe("sales");
    expect(foldName(" Sales")).toBe(" sales");
  });
});
