import { retryWebhookDeliveryRoute } from "@/lib/api/webhooks";

export const POST = retryWebhookDeliveryRoute;
