"use server";

import { revalidatePath } from "next/cache";
import { tenantAction } from "@/lib/actions/action";
import {
  createWebhook,
  createWebhookSchema,
  deleteWebhook,
  deliveryRefSchema,
  retryDelivery,
  sendTestEvent,
  setWebhookEnabled,
  webhookEnabledSchema,
  webhookRefSchema,
} from "@/lib/admin/webhooks";

const refresh = (tenantId: string) => revalidatePath(`/tenants/${tenantId}/webhooks`);

/** The one webhook action whose answer carries a secret: the signing secret, shown once in its dialog. */
export const createWebhookAction = tenantAction(
  createWebhookSchema,
  async (input, ctx) => {
    const { endpoint, secret } = await createWebhook(input, ctx.actor);
    refresh(input.tenantId);
    return { data: { secret, url: endpoint.url }, message: "Webhook added" };
  },
  { action: "webhook.created" },
);

export const deleteWebhookAction = tenantAction(
  webhookRefSchema,
  async (input, ctx) => {
    await deleteWebhook(input.tenantId, input.endpointId, ctx.actor);
    refresh(input.tenantId);
    return { message: "Webhook deleted" };
  },
  { action: "webhook.deleted" },
);

export const setWebhookEnabledAction = tenantAction(
  webhookEnabledSchema,
  async (input, ctx) => {
    await setWebhookEnabled(input, ctx.actor);
    refresh(input.tenantId);
    return { message: input.enabled ? "Webhook enabled: deliveries resume" : "Webhook disabled" };
  },
  { action: "webhook.enabled" },
);

export const sendTestEventAction = tenantAction(
  webhookRefSchema,
  async (input, ctx) => {
    const outcome = await sendTestEvent(input.tenantId, input.endpointId, ctx.actor);
    refresh(input.tenantId);
    if (!outcome.ok) return { message: `Test event not accepted: ${outcome.error ?? "no response"}` };
    return { message: `Test event delivered (HTTP ${outcome.status})` };
  },
  { action: "webhook.test_sent" },
);

export const retryDeliveryAction = tenantAction(
  deliveryRefSchema,
  async (input, ctx) => {
    const result = await retryDelivery(input, ctx.actor);
    refresh(input.tenantId);
    if (result.queued) return { message: "Retrying now" };
    return { message: result.outcome.ok ? `Delivered (HTTP ${result.outcome.status})` : `Not accepted: ${result.outcome.error ?? "no response"}` };
  },
  { action: "webhook.retried" },
);
