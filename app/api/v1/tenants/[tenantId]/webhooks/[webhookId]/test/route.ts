import { testWebhookRoute } from "@/lib/api/webhooks";

export const POST = testWebhookRoute;
