import { createWebhookRoute, listWebhooksRoute } from "@/lib/api/webhooks";

export const GET = listWebhooksRoute;
export const POST = createWebhookRoute;
