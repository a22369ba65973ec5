import { lookup } from "node:dns/promises";

export type ResolvedAddress = { address: string; family: number };

/** Every address the system resolver gives for a host name (tests replace this module). */
export async function lookupHost(hostname: string): Promise<ResolvedAddress[]> {
  return lookup(hostname, { all: true, verbatim: true });
}
