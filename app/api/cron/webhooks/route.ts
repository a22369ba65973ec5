import { cronDrain } from "@/lib/webhooks/cron";

export const dynamic = "force-dynamic";
export const maxDuration = 30;

export const GET = cronDrain;
export const POST = cronDrain;
