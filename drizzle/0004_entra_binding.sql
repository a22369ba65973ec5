DROP INDEX "users_tenant_external_id_uq";--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "bound_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "users_tenant_external_id_idx" ON "users" USING btree ("tenant_id","external_id");