-- The console at platform scale: overall users/groups changes per day (usage_days), a partial
-- index of failed audit events, and tenant indexes for walking tenants by name or creation.
CREATE TABLE "usage_days" (
	"day" text PRIMARY KEY NOT NULL,
	"users_change" integer DEFAULT 0 NOT NULL,
	"groups_change" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "recorded_users" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "recorded_groups" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_events_failures_idx" ON "audit_events" USING btree ("tenant_id","created_at") WHERE "audit_events"."outcome" = 'failure';--> statement-breakpoint
CREATE INDEX "tenants_name_idx" ON "tenants" USING btree ("name","id");--> statement-breakpoint
CREATE INDEX "tenants_created_idx" ON "tenants" USING btree ("created_at","id");--> statement-breakpoint
-- The overall changes per day, from the per-tenant counts recorded so far.
INSERT INTO "usage_days" ("day", "users_change", "groups_change")
SELECT "day", sum("users_delta")::int, sum("groups_delta")::int
FROM (
  SELECT "day",
    "users" - coalesce(lag("users") OVER w, 0) AS "users_delta",
    coalesce("groups", 0) - coalesce(lag(coalesce("groups", 0)) OVER w, 0) AS "groups_delta"
  FROM "scim_usage"
  WHERE "users" IS NOT NULL
  WINDOW w AS (PARTITION BY "tenant_id" ORDER BY "day")
) AS "changes"
GROUP BY "day";
--> statement-breakpoint
-- Each tenant's last recorded counts, the base of its next difference.
UPDATE "tenants" AS "t"
SET "recorded_users" = coalesce("last"."users", 0), "recorded_groups" = coalesce("last"."groups", 0)
FROM (
  SELECT DISTINCT ON ("tenant_id") "tenant_id", "users", "groups"
  FROM "scim_usage" WHERE "users" IS NOT NULL
  ORDER BY "tenant_id", "day" DESC
) AS "last"
WHERE "t"."id" = "last"."tenant_id";
