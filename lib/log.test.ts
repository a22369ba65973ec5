import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { captureLogs, logger, loggerOptions, withoutQuery } from "./log";
import { resetEnvCache } from "./env";
import { runInRequestContext } from "./request-id";

function memoryLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ ...loggerOptions(), level: "info" }, stream);
  return { log, records: () => lines.map((line) => JSON.parse(line)), text: () => lines.join("") };
}

afterEach(() => {
  delete process.env.LOG_LEVEL;
  resetEnvCache();
});

describe("redaction", () => {
  it("replaces credentials at the top level and inside headers or nested objects", () => {
    const { log, records, text } = memoryLogger();
    log.info(
      {
        authorization: "Bearer top-level-token",
        headers: { authorization: "Bearer header-token", cookie: "authjs.session-token=cookie-value", "set-cookie": "a=b" },
        req: { headers: { cookie: "deep-cookie" } },
        body: { password: "hunter2-password", clientSecret: "client-secret-value", token: "opaque-token" },
        params: ["bound-value"],
      },
      "request",
    );
    const [line] = records();
    expect(line.authorization).toBe("[redacted]");
    expect(line.headers).toEqual({ authorization: "[redacted]", cookie: "[redacted]", "set-cookie": "[redacted]" });
    expect(line.req.headers.cookie).toBe("[redacted]");
    expect(line.body).toEqual({ password: "[redacted]", clientSecret: "[redacted]", token: "[redacted]" });
    for (const secret of ["top-level-token", "header-token", "cookie-value", "deep-cookie", "hunter2", "client-secret-value", "opaque-token", "bound-value"]) {
      expect(text()).not.toContain(secret);
    }
  });

  it("matches keys in any letter case and inside arrays", () => {
    const { log, records, text } = memoryLogger();
    log.info({ headers: { Authorization: "Bearer mixed-case", "Set-Cookie": ["c=1"] }, tokens: [{ accessToken: "in-array" }] }, "request");
    expect(records()[0]).toMatchObject({ headers: { Authorization: "[redacted]", "Set-Cookie": "[redacted]" }, tokens: [{ accessToken: "[redacted]" }] });
    expect(text()).not.toMatch(/mixed-case|in-array|c=1/);
  });

  it("logs URLs without their query string or fragment", () => {
    const { log, records } = memoryLogger();
    log.info({ url: "https://gatehouse.test/scim/v2/t/Users?filter=userName%20eq%20%22ann%40acme.test%22#x", path: "/users?q=ann" }, "request");
    expect(records()[0]).toMatchObject({ url: "https://gatehouse.test/scim/v2/t/Users", path: "/users" });
    expect(withoutQuery(new URL("https://a.test/x?y=1"))).toBe("https://a.test/x");
    expect(withoutQuery(undefined)).toBeUndefined();
  });

  it("logs errors by name and code only, never their message", () => {
    const { log, text, records } = memoryLogger();
    const error = Object.assign(new Error("Failed query: select … params: secret-bound-value"), { code: "23505", params: ["secret-bound-value"] });
    error.name = "DrizzleQueryError";
    log.error({ err: error }, "failed");
    expect(records()[0].err).toBe("DrizzleQueryError code=23505");
    expect(text()).not.toContain("secret-bound-value");
  });
});

describe("level and request id", () => {
  it("is silent under tests unless LOG_LEVEL says otherwise", () => {
    expect(loggerOptions().level).toBe("silent");
    process.env.LOG_LEVEL = "debug";
    resetEnvCache();
    expect(loggerOptions().level).toBe("debug");
  });

  it("puts the request id of the open context on every line, and none outside it", () => {
    const capture = captureLogs();
    try {
      runInRequestContext("req-123", () => {
        logger.info("inside");
        logger.child({ component: "x" }).warn("inside child");
      });
      logger.info("outside");
    } finally {
      capture.restore();
    }
    const [inside, child, outside] = capture.records();
    expect(inside).toMatchObject({ requestId: "req-123", msg: "inside", level: "info", service: "gatehouse" });
    expect(child).toMatchObject({ requestId: "req-123", component: "x", level: "warn" });
    expect(outside.requestId).toBeUndefined();
  });
});
