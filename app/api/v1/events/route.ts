import { apiRoute } from "@/lib/api/route";
import { listEvents, listEventsOperation } from "@/lib/api/events";

export const GET = apiRoute(listEventsOperation, async ({ key, query }) => listEvents(key, query));
