import { describe, expect, it } from "vitest";
import { challengeRecordName, challengeRecordValue, checkDnsChallenge, type TxtResolver } from "./dns-challenge";

// Offline: every test hands checkDnsChallenge a fake resolver instead of node:dns/promises.
const resolverOf = (records: Record<string, string[][]>): TxtResolver => async (name) => {
  if (!(name in records)) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
  return records[name];
};

describe("DNS TXT domain challenge", () => {
  it("looks up _gatehouse-challenge.<domain> for the tenant's value", async () => {
    expect(challengeRecordName("contoso.com")).toBe("_gatehouse-challenge.contoso.com");
    const resolve = resolverOf({ "_gatehouse-challenge.contoso.com": [[challengeRecordValue("tok")]] });
    expect(await checkDnsChallenge("contoso.com", "tok", resolve)).toEqual({ ok: true });
    expect(await checkDnsChallenge("contoso.com", "other", resolve)).toEqual({ ok: false, reason: "mismatch" });
  });
  it("answers not_found for NXDOMAIN, no data and timeouts instead of throwing", async () => {
    expect(await checkDnsChallenge("absent.example", "tok", resolverOf({}))).toEqual({ ok: false, reason: "not_found" });
    expect(await checkDnsChallenge("empty.example", "tok", resolverOf({ "_gatehouse-challenge.empty.example": [] }))).toEqual({ ok: false, reason: "not_found" });
    const timeout: TxtResolver = async () => Promise.reject(Object.assign(new Error("queryTxt ETIMEOUT"), { code: "ETIMEOUT" }));
    expect(await checkDnsChallenge("slow.example", "tok", timeout)).toEqual({ ok: false, reason: "not_found" });
  });
  it("accepts the bare token too (records created from a migrated claim) but never a record merely containing it", async () => {
    const name = "_gatehouse-challenge.fabrikam.com";
    expect(await checkDnsChallenge("fabrikam.com", "tok", resolverOf({ [name]: [[" tok "]] }))).toEqual({ ok: true });
    expect(await checkDnsChallenge("fabrikam.com", "tok", resolverOf({ [name]: [["xtokx"]] }))).toEqual({ ok: false, reason: "mismatch" });
  });
});
