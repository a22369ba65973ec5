import { deleteWebhookRoute, getWebhookRoute, updateWebhookRoute } from "@/lib/api/webhooks";

export const GET = getWebhookRoute;
export const PATCH = updateWebhookRoute;
export const DELETE = deleteWebhookRoute;
