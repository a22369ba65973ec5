import { discovery } from "@/lib/scim-server/handlers";

export const GET = discovery.resourceTypes;
