import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "../../lib/env";
import { scimUrl } from "./tenant";

const ID = "0b6f1a2c-3d4e-4f50-8a61-7b8c9d0e1f23";

describe("the CLI's SCIM URL follows the public origin (APP_URL)", () => {
  const saved = { APP_URL: process.env.APP_URL, AUTH_URL: process.env.AUTH_URL, VERCEL_URL: process.env.VERCEL_URL };
  const setEnv = (values: Partial<typeof saved>) => {
    for (const key of Object.keys(saved) as (keyof typeof saved)[]) {
      if (values[key] === undefined) delete process.env[key];
      else process.env[key] = values[key];
    }
    resetEnvCache();
  };
  afterEach(() => setEnv(saved));

  it("is the Tenant URL on APP_URL's origin, whatever path APP_URL carries", () => {
    setEnv({ APP_URL: "https://id.example.com" });
    expect(scimUrl(ID)).toBe(`https://id.example.com/scim/v2/${ID}`);
    setEnv({ APP_URL: "https://id.example.com/gatehouse/" });
    expect(scimUrl(ID)).toBe(`https://id.example.com/scim/v2/${ID}`);
  });

  it("is only the path when no public origin is configured: no invented localhost", () => {
    setEnv({});
    expect(scimUrl(ID)).toBe(`/scim/v2/${ID}`);
  });
});
