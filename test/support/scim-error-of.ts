import { expect } from "vitest";
import { ScimError } from "@/lib/scim/errors";

/** Runs `run`, which must throw a ScimError, and returns that error for assertions. */
export function scimErrorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }
  throw new Error("expected a ScimError");
}
