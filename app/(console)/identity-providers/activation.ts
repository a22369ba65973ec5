export const TEST_FRESH_MS = 24 * 60 * 60 * 1000;

/** Activation is safe to confirm normally only after a Test sign-in passed in the last 24 hours. */
export function hasRecentPassingTest(idp: { lastTestedAt: Date | null; lastTestOk: boolean | null }, now = Date.now()) {
  return Boolean(idp.lastTestOk && idp.lastTestedAt && now - idp.lastTestedAt.getTime() < TEST_FRESH_MS);
}
