import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** A Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export function generateWebhookSecret() {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export type SignedHeaders = { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };

/** The three Standard Webhooks headers for one attempt (the id is the same on every attempt of a message). */
export function signedHeaders(secret: string, messageId: string, timestamp: Date, body: string): SignedHeaders {
  const signature = new Webhook(secret).sign(messageId, timestamp, body);
  return { "webhook-id": messageId, "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)), "webhook-signature": signature };
}
