-- Tenant user/group counts move from the tenant row to sharded counter rows, so parallel
-- creates in one tenant no longer queue behind one row lock; scim_usage gains 429s, sign-ins
-- and the day's user/group counts for the console's charts.
CREATE TABLE "tenant_counters" (
	"tenant_id" uuid NOT NULL,
	"shard" smallint NOT NULL,
	"users" integer DEFAULT 0 NOT NULL,
	"groups" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "tenant_counters_tenant_id_shard_pk" PRIMARY KEY("tenant_id","shard")
);
--> statement-breakpoint
ALTER TABLE "scim_usage" ADD COLUMN "rate_limited" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scim_usage" ADD COLUMN "sign_ins" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scim_usage" ADD COLUMN "sign_in_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scim_usage" ADD COLUMN "users" integer;--> statement-breakpoint
ALTER TABLE "scim_usage" ADD COLUMN "groups" integer;--> statement-breakpoint
ALTER TABLE "tenant_counters" ADD CONSTRAINT "tenant_counters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "scim_usage_day_idx" ON "scim_usage" USING btree ("day");--> statement-breakpoint
-- The counts kept on the tenant row move to shard 0 of its counters.
INSERT INTO "tenant_counters" ("tenant_id", "shard", "users", "groups")
SELECT "id", 0, "user_count", "group_count" FROM "tenants";--> statement-breakpoint
ALTER TABLE "tenants" DROP COLUMN "user_count";--> statement-breakpoint
ALTER TABLE "tenants" DROP COLUMN "group_count";