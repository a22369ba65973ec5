import { listWebhookDeliveriesRoute } from "@/lib/api/webhooks";

export const GET = listWebhookDeliveriesRoute;
