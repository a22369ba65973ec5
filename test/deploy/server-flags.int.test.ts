// The production server's V8 flags have one home (scripts/processes.mjs); the container sets
// them as NODE_OPTIONS because its CMD starts server.js directly.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS, serverNodeFlags } from "../../scripts/processes.mjs";

describe("server V8 flags", () => {
  it("are what the Dockerfile sets as NODE_OPTIONS", () => {
    const dockerfile = fs.readFileSync(path.join(import.meta.dirname, "../../Dockerfile"), "utf8");
    const set = [...dockerfile.matchAll(/^ENV NODE_OPTIONS=(.+)$/gm)].map((m) => m[1].trim());
    expect(set).toEqual([SERVER_NODE_FLAGS.join(" ")]);
  });

  it("give way to the same option in NODE_OPTIONS, and only to that one", () => {
    expect(serverNodeFlags("")).toEqual(SERVER_NODE_FLAGS);
    expect(serverNodeFlags("--max-semi-space-size=16")).toEqual([]);
    expect(serverNodeFlags("--max-old-space-size=512")).toEqual(SERVER_NODE_FLAGS);
  });
});
