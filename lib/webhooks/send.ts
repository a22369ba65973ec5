import "server-only";
import { outboundFetch, OutboundRequestError } from "../net/outbound";
import { signedHeaders } from "./signing";

export type WebhookMessage = { id: string; type: string; body: string };

export type AttemptResult = { ok: boolean; status: number | null; error: string | null; durationMs: number };

const TIMEOUT_MS = 15_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export const UNREACHABLE = "No response: the address was refused, the connection failed, it redirected, or it timed out after 15 s";

/**
 * POSTs one signed message through the guarded outbound client (lib/net/outbound.ts): the same
 * rules as identity-provider requests — public addresses only (loopback only with
 * GATEHOUSE_ALLOW_LOOPBACK_IDP=1), no redirects, a deadline. Any 2xx is a delivery.
 */
export async function sendWebhook(url: string, secret: string, message: WebhookMessage, now = new Date()): Promise<AttemptResult> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const response = await outboundFetch(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Gatehouse-Webhooks/1", ...signedHeaders(secret, message.id, now, message.body) },
        body: message.body,
      },
      { timeoutMs: TIMEOUT_MS, maxBytes: MAX_RESPONSE_BYTES },
    );
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, error: ok ? null : `HTTP ${response.status}`, durationMs: durationMs() };
  } catch (error) {
    if (error instanceof OutboundRequestError) return { ok: false, status: null, error: UNREACHABLE, durationMs: durationMs() };
    throw error;
  }
}
