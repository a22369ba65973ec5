CREATE TABLE "tenant_domains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"verification_token" text NOT NULL,
	"verified_at" timestamp with time zone,
	"verified_by" text,
	"last_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_domains" ADD CONSTRAINT "tenant_domains_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_domains_domain_key" ON "tenant_domains" USING btree ("domain");--> statement-breakpoint
CREATE INDEX "tenant_domains_tenant_idx" ON "tenant_domains" USING btree ("tenant_id");--> statement-breakpoint
-- Existing claims move over unverified, one tenant per domain (the oldest claimant keeps it):
-- home-realm discovery uses verified domains only, so each needs DNS or a platform admin's check.
INSERT INTO "tenant_domains" ("tenant_id", "domain", "verification_token")
SELECT DISTINCT ON (d.domain) t."id", d.domain, md5(random()::text || clock_timestamp()::text || t."id"::text)
FROM "tenants" t CROSS JOIN LATERAL unnest(t."domains") AS d(domain)
ORDER BY d.domain, t."created_at", t."id";--> statement-breakpoint
-- Session tokens are stored as the lowercase hex SHA-256 of the cookie value from now on.
UPDATE "sessions" SET "session_token" = encode(sha256(convert_to("session_token", 'UTF8')), 'hex');--> statement-breakpoint
-- TRUNCATE bypasses row triggers: refuse it with a statement trigger of its own.
CREATE OR REPLACE FUNCTION "audit_events_no_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "audit_events_no_truncate"
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_no_truncate"();
