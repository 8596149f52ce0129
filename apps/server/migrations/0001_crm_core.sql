CREATE TABLE "artists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stage_name" text NOT NULL,
	"genres" text[] DEFAULT '{}' NOT NULL,
	"city" text,
	"bio" text DEFAULT '' NOT NULL,
	"email" text,
	"phone" text,
	"links" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"consent_marketing" boolean DEFAULT false NOT NULL,
	"consent_analytics" boolean DEFAULT false NOT NULL,
	"consent_updated_at" timestamp with time zone,
	"nda_signed_at" timestamp with time zone,
	"stage" text DEFAULT 'prospect' NOT NULL,
	"stage_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assignee_id" uuid,
	"user_id" uuid,
	"score_total" integer DEFAULT 0 NOT NULL,
	"tier" text DEFAULT 'prospect' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	"search" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', coalesce(stage_name, '') || ' ' || coalesce(bio, ''))) STORED,
	CONSTRAINT "artists_user_id_unique" UNIQUE("user_id"),
	CONSTRAINT "artists_stage_check" CHECK (stage in ('prospect', 'checkup', 'prescription', 'execution', 'retention')),
	CONSTRAINT "artists_tier_check" CHECK (tier in ('prospect', 'starter', 'coprod', 'premium', 'spark_ready')),
	CONSTRAINT "artists_score_check" CHECK (score_total between 0 and 120)
);
--> statement-breakpoint
CREATE TABLE "metric_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"artist_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"captured_at" timestamp with time zone NOT NULL,
	"followers" integer NOT NULL,
	"engagement_rate" double precision DEFAULT 0 NOT NULL,
	"posts_per_week" double precision DEFAULT 0 NOT NULL,
	"monthly_growth" double precision DEFAULT 0 NOT NULL,
	"source" text DEFAULT 'manual' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_snapshots_platform_check" CHECK (platform in ('instagram', 'tiktok', 'youtube', 'twitch', 'spotify', 'soundcloud')),
	CONSTRAINT "metric_snapshots_values_check" CHECK (followers >= 0 and engagement_rate >= 0 and posts_per_week >= 0)
);
--> statement-breakpoint
CREATE TABLE "pipeline_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"artist_id" uuid NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"moved_by" uuid,
	"moved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pipeline_moves_to_check" CHECK (to_stage in ('prospect', 'checkup', 'prescription', 'execution', 'retention'))
);
--> statement-breakpoint
CREATE TABLE "artist_ratings" (
	"artist_id" uuid PRIMARY KEY NOT NULL,
	"artistic_quality" integer DEFAULT 0 NOT NULL,
	"motivation" integer DEFAULT 0 NOT NULL,
	"collaboration" integer DEFAULT 0 NOT NULL,
	"business_vision" integer DEFAULT 0 NOT NULL,
	"media_personality" integer DEFAULT 0 NOT NULL,
	"viral_potential" boolean DEFAULT false NOT NULL,
	"versatility" boolean DEFAULT false NOT NULL,
	"diversity" boolean DEFAULT false NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_fit_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"artist_id" uuid NOT NULL,
	"inputs" jsonb NOT NULL,
	"dimensions" jsonb NOT NULL,
	"overall" integer NOT NULL,
	"category" text NOT NULL,
	"confidence" integer NOT NULL,
	"assessed_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scoring_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"artist_id" uuid NOT NULL,
	"old_total" integer NOT NULL,
	"new_total" integer NOT NULL,
	"old_tier" text NOT NULL,
	"new_tier" text NOT NULL,
	"breakdown" jsonb NOT NULL,
	"reason" text NOT NULL,
	"actor_id" uuid,
	"actor_kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "domain_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"aggregate_id" uuid,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "artists" ADD CONSTRAINT "artists_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artists" ADD CONSTRAINT "artists_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "metric_snapshots" ADD CONSTRAINT "metric_snapshots_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_moves" ADD CONSTRAINT "pipeline_moves_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pipeline_moves" ADD CONSTRAINT "pipeline_moves_moved_by_users_id_fk" FOREIGN KEY ("moved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artist_ratings" ADD CONSTRAINT "artist_ratings_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artist_ratings" ADD CONSTRAINT "artist_ratings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_fit_assessments" ADD CONSTRAINT "market_fit_assessments_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_fit_assessments" ADD CONSTRAINT "market_fit_assessments_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_events" ADD CONSTRAINT "scoring_events_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scoring_events" ADD CONSTRAINT "scoring_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings" ADD CONSTRAINT "settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "artists_stage_idx" ON "artists" USING btree ("stage","created_at");--> statement-breakpoint
CREATE INDEX "artists_tier_idx" ON "artists" USING btree ("tier","created_at");--> statement-breakpoint
CREATE INDEX "artists_assignee_idx" ON "artists" USING btree ("assignee_id");--> statement-breakpoint
CREATE INDEX "artists_city_idx" ON "artists" USING btree (lower("city"));--> statement-breakpoint
CREATE INDEX "artists_genres_idx" ON "artists" USING gin ("genres");--> statement-breakpoint
CREATE INDEX "artists_search_idx" ON "artists" USING gin ("search");--> statement-breakpoint
CREATE INDEX "artists_created_idx" ON "artists" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "artists_score_idx" ON "artists" USING btree ("score_total","id");--> statement-breakpoint
CREATE UNIQUE INDEX "metric_snapshots_unique_idx" ON "metric_snapshots" USING btree ("artist_id","platform","captured_at");--> statement-breakpoint
CREATE INDEX "pipeline_moves_artist_idx" ON "pipeline_moves" USING btree ("artist_id","moved_at");--> statement-breakpoint
CREATE INDEX "pipeline_moves_moved_at_idx" ON "pipeline_moves" USING btree ("moved_at");--> statement-breakpoint
CREATE INDEX "market_fit_artist_idx" ON "market_fit_assessments" USING btree ("artist_id","created_at");--> statement-breakpoint
CREATE INDEX "scoring_events_artist_idx" ON "scoring_events" USING btree ("artist_id","created_at");--> statement-breakpoint
CREATE INDEX "domain_events_pending_idx" ON "domain_events" USING btree ("occurred_at") WHERE dispatched_at is null;--> statement-breakpoint
CREATE INDEX "domain_events_name_idx" ON "domain_events" USING btree ("name","occurred_at");