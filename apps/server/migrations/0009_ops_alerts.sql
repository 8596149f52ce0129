CREATE TABLE "ops_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint" text NOT NULL,
	"alertname" text NOT NULL,
	"status" text NOT NULL,
	"severity" text NOT NULL,
	"labels" jsonb NOT NULL,
	"annotations" jsonb NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"source" text NOT NULL,
	"generator_url" text,
	"received_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ops_alerts_status_check" CHECK ("ops_alerts"."status" in ('firing', 'resolved')),
	CONSTRAINT "ops_alerts_source_check" CHECK ("ops_alerts"."source" in ('alertmanager', 'in-process'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ops_alerts_episode_idx" ON "ops_alerts" USING btree ("fingerprint","starts_at");--> statement-breakpoint
CREATE INDEX "ops_alerts_status_idx" ON "ops_alerts" USING btree ("status","updated_at");