import { describe, expect, it } from "vitest";
import { maxAttempts, nextRetryDelayMs, RETRY_DELAYS_SECONDS } from "./schedule";

describe("Standard Webhooks retry schedule", () => {
  it("retries with growing delays for more than 24 hours, then gives up", () => {
    const delays = RETRY_DELAYS_SECONDS;
    expect(delays.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(24 * 3600);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    expect(maxAttempts(delays)).toBe(8);
    expect(nextRetryDelayMs(1, delays)).toBe(5_000);
    expect(nextRetryDelayMs(2, delays)).toBe(300_000);
    expect(nextRetryDelayMs(7, delays)).toBe(36_000_000);
    expect(nextRetryDelayMs(8, delays)).toBeNull();
  });
});
