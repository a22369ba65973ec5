CREATE TABLE "group_member_counters" (
	"group_id" uuid NOT NULL,
	"shard" smallint NOT NULL,
	"tenant_id" uuid NOT NULL,
	"members" integer DEFAULT 0 NOT NULL,
	"changes" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_member_counters_group_id_shard_pk" PRIMARY KEY("group_id","shard")
);
--> statement-breakpoint
ALTER TABLE "group_member_counters" ADD CONSTRAINT "group_member_counters_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_member_counters" ADD CONSTRAINT "group_member_counters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_member_counters_tenant_idx" ON "group_member_counters" USING btree ("tenant_id");