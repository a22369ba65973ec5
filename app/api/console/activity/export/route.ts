import { withRequestId } from "@/lib/request-id";
import { exportActivity } from "./export-activity";

export const dynamic = "force-dynamic";

export const GET = withRequestId(exportActivity);
