CREATE TABLE "application_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"juror_id" uuid NOT NULL,
	"scores" jsonb NOT NULL,
	"total" double precision NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "villa_applications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"villa_id" uuid NOT NULL,
	"artist_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"motivation" text NOT NULL,
	"portfolio_links" text[] DEFAULT '{}' NOT NULL,
	"genre" text NOT NULL,
	"score_at_application" integer NOT NULL,
	"tier_at_application" text NOT NULL,
	"decision_reason" text DEFAULT '' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"waitlisted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "villa_applications_status_check" CHECK (status in ('pending', 'shortlisted', 'accepted', 'waitlisted', 'rejected', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "villa_budget_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"villa_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"planned_cents" bigint DEFAULT 0 NOT NULL,
	"actual_cents" bigint DEFAULT 0 NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "villa_budget_lines_kind_check" CHECK (kind in ('cost', 'revenue')),
	CONSTRAINT "villa_budget_lines_amounts_check" CHECK (planned_cents >= 0 and actual_cents >= 0)
);
--> statement-breakpoint
CREATE TABLE "villa_content_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"villa_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target" integer NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "villa_content_targets_kind_check" CHECK (kind in ('capsules', 'stories_per_day', 'duets', 'interviews', 'documentary_episode', 'aftermovie', 'photos')),
	CONSTRAINT "villa_content_targets_counts_check" CHECK (target >= 0 and delivered >= 0)
);
--> statement-breakpoint
CREATE TABLE "villa_slots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"villa_id" uuid NOT NULL,
	"day" integer NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"room" text DEFAULT '' NOT NULL,
	"artist_ids" uuid[] DEFAULT '{}' NOT NULL,
	"staff_ids" uuid[] DEFAULT '{}' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "villa_slots_kind_check" CHECK (kind in ('session', 'workshop', 'masterclass', 'live', 'showcase', 'meal', 'debrief')),
	CONSTRAINT "villa_slots_day_check" CHECK (day between 0 and 7),
	CONSTRAINT "villa_slots_range_check" CHECK (ends_at > starts_at)
);
--> statement-breakpoint
CREATE TABLE "villa_status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"villa_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "villas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"place" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"arrival_on" date NOT NULL,
	"time_zone" text DEFAULT 'Europe/Paris' NOT NULL,
	"capacity" integer NOT NULL,
	"max_per_genre" integer DEFAULT 2 NOT NULL,
	"status" text DEFAULT 'planning' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "villas_status_check" CHECK (status in ('planning', 'open', 'full', 'in_progress', 'completed')),
	CONSTRAINT "villas_capacity_check" CHECK (capacity between 8 and 12),
	CONSTRAINT "villas_max_per_genre_check" CHECK (max_per_genre between 1 and 12),
	CONSTRAINT "villas_name_check" CHECK (length(name) between 1 and 200)
);
--> statement-breakpoint
CREATE TABLE "streams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"villa_id" uuid,
	"slot_id" uuid,
	"artist_id" uuid,
	"platforms" text[] DEFAULT '{}' NOT NULL,
	"scheduled_start" timestamp with time zone NOT NULL,
	"scheduled_end" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "streams_status_check" CHECK (status in ('scheduled', 'live', 'ended', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "delivery_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"deliverable_id" uuid NOT NULL,
	"amount" double precision NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"stream_id" uuid,
	"external_key" text,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_records_source_check" CHECK (source in ('manual', 'stream')),
	CONSTRAINT "delivery_records_amount_check" CHECK (amount >= 0)
);
--> statement-breakpoint
CREATE TABLE "sponsor_packages" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"price_cents" bigint NOT NULL,
	"sector_exclusive" boolean DEFAULT false NOT NULL,
	"deliverables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsor_packages_code_check" CHECK (code in ('principal', 'category', 'activation', 'event')),
	CONSTRAINT "sponsor_packages_price_check" CHECK (price_cents >= 0)
);
--> statement-breakpoint
CREATE TABLE "sponsors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"company_name" text NOT NULL,
	"sector" text NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"contact_email" text,
	"website" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsors_user_id_unique" UNIQUE("user_id")
);
--> statement-breakpoint
CREATE TABLE "sponsorship_deliverables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sponsorship_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"promised" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsorship_deliverables_metric_check" CHECK (metric in ('logo_hours', 'mentions', 'dedicated_posts', 'reach', 'impressions', 'engagement', 'leads')),
	CONSTRAINT "sponsorship_deliverables_promised_check" CHECK (promised >= 0)
);
--> statement-breakpoint
CREATE TABLE "sponsorships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"villa_id" uuid NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"package_code" text NOT NULL,
	"price_cents" bigint NOT NULL,
	"exclusive_sector" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "sponsorships_package_check" CHECK (package_code in ('principal', 'category', 'activation', 'event')),
	CONSTRAINT "sponsorships_status_check" CHECK (status in ('active', 'cancelled')),
	CONSTRAINT "sponsorships_price_check" CHECK (price_cents >= 0)
);
--> statement-breakpoint
ALTER TABLE "application_scores" ADD CONSTRAINT "application_scores_application_id_villa_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."villa_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_scores" ADD CONSTRAINT "application_scores_juror_id_users_id_fk" FOREIGN KEY ("juror_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_applications" ADD CONSTRAINT "villa_applications_villa_id_villas_id_fk" FOREIGN KEY ("villa_id") REFERENCES "public"."villas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_applications" ADD CONSTRAINT "villa_applications_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_applications" ADD CONSTRAINT "villa_applications_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_budget_lines" ADD CONSTRAINT "villa_budget_lines_villa_id_villas_id_fk" FOREIGN KEY ("villa_id") REFERENCES "public"."villas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_content_targets" ADD CONSTRAINT "villa_content_targets_villa_id_villas_id_fk" FOREIGN KEY ("villa_id") REFERENCES "public"."villas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_slots" ADD CONSTRAINT "villa_slots_villa_id_villas_id_fk" FOREIGN KEY ("villa_id") REFERENCES "public"."villas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_status_changes" ADD CONSTRAINT "villa_status_changes_villa_id_villas_id_fk" FOREIGN KEY ("villa_id") REFERENCES "public"."villas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villa_status_changes" ADD CONSTRAINT "villa_status_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "villas" ADD CONSTRAINT "villas_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "streams" ADD CONSTRAINT "streams_villa_id_villas_id_fk" FOREIGN KEY ("villa_id") REFERENCES "public"."villas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "streams" ADD CONSTRAINT "streams_slot_id_villa_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."villa_slots"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "streams" ADD CONSTRAINT "streams_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_records" ADD CONSTRAINT "delivery_records_deliverable_id_sponsorship_deliverables_id_fk" FOREIGN KEY ("deliverable_id") REFERENCES "public"."sponsorship_deliverables"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_records" ADD CONSTRAINT "delivery_records_stream_id_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."streams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery_records" ADD CONSTRAINT "delivery_records_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsors" ADD CONSTRAINT "sponsors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_deliverables" ADD CONSTRAINT "sponsorship_deliverables_sponsorship_id_sponsorships_id_fk" FOREIGN KEY ("sponsorship_id") REFERENCES "public"."sponsorships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_villa_id_villas_id_fk" FOREIGN KEY ("villa_id") REFERENCES "public"."villas"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_sponsor_id_sponsors_id_fk" FOREIGN KEY ("sponsor_id") REFERENCES "public"."sponsors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "application_scores_unique_idx" ON "application_scores" USING btree ("application_id","juror_id");--> statement-breakpoint
CREATE UNIQUE INDEX "villa_applications_unique_idx" ON "villa_applications" USING btree ("villa_id","artist_id");--> statement-breakpoint
CREATE INDEX "villa_applications_villa_idx" ON "villa_applications" USING btree ("villa_id","status");--> statement-breakpoint
CREATE INDEX "villa_applications_artist_idx" ON "villa_applications" USING btree ("artist_id");--> statement-breakpoint
CREATE INDEX "villa_budget_lines_villa_idx" ON "villa_budget_lines" USING btree ("villa_id","kind","position");--> statement-breakpoint
CREATE UNIQUE INDEX "villa_content_targets_unique_idx" ON "villa_content_targets" USING btree ("villa_id","kind");--> statement-breakpoint
CREATE INDEX "villa_slots_villa_idx" ON "villa_slots" USING btree ("villa_id","starts_at");--> statement-breakpoint
CREATE INDEX "villa_status_changes_villa_idx" ON "villa_status_changes" USING btree ("villa_id","changed_at");--> statement-breakpoint
CREATE INDEX "villas_arrival_idx" ON "villas" USING btree ("arrival_on");--> statement-breakpoint
CREATE INDEX "villas_status_idx" ON "villas" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "streams_slot_idx" ON "streams" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "streams_villa_idx" ON "streams" USING btree ("villa_id","scheduled_start");--> statement-breakpoint
CREATE INDEX "streams_schedule_idx" ON "streams" USING btree ("scheduled_start");--> statement-breakpoint
CREATE INDEX "delivery_records_deliverable_idx" ON "delivery_records" USING btree ("deliverable_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_records_external_idx" ON "delivery_records" USING btree ("deliverable_id","external_key");--> statement-breakpoint
CREATE INDEX "sponsors_sector_idx" ON "sponsors" USING btree ("sector");--> statement-breakpoint
CREATE UNIQUE INDEX "sponsorship_deliverables_unique_idx" ON "sponsorship_deliverables" USING btree ("sponsorship_id","metric");--> statement-breakpoint
CREATE INDEX "sponsorships_villa_idx" ON "sponsorships" USING btree ("villa_id","status");--> statement-breakpoint
CREATE INDEX "sponsorships_sponsor_idx" ON "sponsorships" USING btree ("sponsor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sponsorships_sector_idx" ON "sponsorships" USING btree ("villa_id","exclusive_sector") WHERE status = 'active' and exclusive_sector is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "sponsorships_principal_idx" ON "sponsorships" USING btree ("villa_id") WHERE status = 'active' and package_code = 'principal';--> statement-breakpoint
-- Catalogue data: the sponsor packages of PRODUCT.md, with default promised deliverables staff adjust per deal.
INSERT INTO "sponsor_packages" ("code", "name", "price_cents", "sector_exclusive", "deliverables", "position") VALUES
('principal', 'Principal', 2500000, false, '{"logo_hours": 40, "mentions": 60, "dedicated_posts": 12, "reach": 500000, "impressions": 1500000, "engagement": 50000, "leads": 500}', 1),
('category', 'Category', 1500000, true, '{"logo_hours": 20, "mentions": 30, "dedicated_posts": 6, "reach": 250000, "impressions": 700000, "engagement": 25000, "leads": 200}', 2),
('activation', 'Activation', 800000, false, '{"logo_hours": 8, "mentions": 12, "dedicated_posts": 3, "reach": 100000, "impressions": 300000, "engagement": 10000, "leads": 80}', 3),
('event', 'Event', 500000, false, '{"logo_hours": 3, "mentions": 6, "dedicated_posts": 2, "reach": 50000, "impressions": 120000, "engagement": 4000, "leads": 30}', 4)
ON CONFLICT ("code") DO NOTHING;
