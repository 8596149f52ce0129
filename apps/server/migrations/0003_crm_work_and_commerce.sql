CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'todo' NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"position" double precision DEFAULT 0 NOT NULL,
	"assignee_id" uuid,
	"due_at" timestamp with time zone,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"artist_id" uuid,
	"interaction_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "tasks_status_check" CHECK (status in ('todo', 'in_progress', 'review', 'done')),
	CONSTRAINT "tasks_priority_check" CHECK (priority in ('low', 'normal', 'high', 'urgent')),
	CONSTRAINT "tasks_title_check" CHECK (length(title) between 1 and 300)
);
--> statement-breakpoint
CREATE TABLE "interactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"artist_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" text NOT NULL,
	"outcome" text DEFAULT '' NOT NULL,
	"next_action" text,
	"next_action_due_at" timestamp with time zone,
	"assignee_id" uuid,
	"task_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone,
	CONSTRAINT "interactions_kind_check" CHECK (kind in ('email', 'call', 'meeting', 'message', 'proposal')),
	CONSTRAINT "interactions_summary_check" CHECK (length(summary) between 1 and 5000)
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"artist_id" uuid NOT NULL,
	"title" text NOT NULL,
	"value_cents" bigint NOT NULL,
	"probability" integer NOT NULL,
	"stage" text DEFAULT 'discovery' NOT NULL,
	"expected_close_on" date,
	"owner_id" uuid,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "opportunities_stage_check" CHECK (stage in ('discovery', 'proposal', 'negotiation', 'won', 'lost')),
	CONSTRAINT "opportunities_value_check" CHECK (value_cents >= 0),
	CONSTRAINT "opportunities_probability_check" CHECK (probability between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "calendar_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"all_day" boolean DEFAULT false NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"artist_id" uuid,
	"owner_id" uuid,
	"source" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "calendar_events_kind_check" CHECK (kind in ('meeting', 'deadline', 'reminder', 'stream', 'villa')),
	CONSTRAINT "calendar_events_range_check" CHECK (ends_at >= starts_at),
	CONSTRAINT "calendar_events_title_check" CHECK (length(title) between 1 and 300)
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"includes" text[] DEFAULT '{}' NOT NULL,
	"price_cents" bigint NOT NULL,
	"price_is_minimum" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offers_code_unique" UNIQUE("code"),
	CONSTRAINT "offers_price_check" CHECK (price_cents >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"artist_id" uuid NOT NULL,
	"offer_id" uuid NOT NULL,
	"price_cents" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"fulfilled_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "orders_status_check" CHECK (status in ('pending', 'paid', 'fulfilled', 'refunded', 'cancelled')),
	CONSTRAINT "orders_price_check" CHECK (price_cents >= 0)
);
--> statement-breakpoint
CREATE TABLE "mission_deliverables" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mission_id" uuid NOT NULL,
	"title" text NOT NULL,
	"url" text,
	"note" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mission_status_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mission_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "missions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"block_id" uuid NOT NULL,
	"artist_id" uuid NOT NULL,
	"format" text NOT NULL,
	"price_cents" bigint NOT NULL,
	"brief" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"expert_id" uuid,
	"requested_by" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assigned_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "missions_format_check" CHECK (format in ('diagnostic', 'one_shot', 'monthly')),
	CONSTRAINT "missions_status_check" CHECK (status in ('requested', 'assigned', 'in_progress', 'delivered', 'accepted', 'cancelled')),
	CONSTRAINT "missions_price_check" CHECK (price_cents >= 0)
);
--> statement-breakpoint
CREATE TABLE "service_blocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"diagnostic_cents" bigint NOT NULL,
	"one_shot_cents" bigint NOT NULL,
	"monthly_cents" bigint NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_blocks_code_unique" UNIQUE("code"),
	CONSTRAINT "service_blocks_prices_check" CHECK (diagnostic_cents >= 0 and one_shot_cents >= 0 and monthly_cents >= 0)
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interactions" ADD CONSTRAINT "interactions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_events" ADD CONSTRAINT "calendar_events_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_events" ADD CONSTRAINT "calendar_events_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_events" ADD CONSTRAINT "calendar_events_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_status_changes" ADD CONSTRAINT "order_status_changes_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_status_changes" ADD CONSTRAINT "order_status_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mission_deliverables" ADD CONSTRAINT "mission_deliverables_mission_id_missions_id_fk" FOREIGN KEY ("mission_id") REFERENCES "public"."missions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mission_deliverables" ADD CONSTRAINT "mission_deliverables_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mission_status_changes" ADD CONSTRAINT "mission_status_changes_mission_id_missions_id_fk" FOREIGN KEY ("mission_id") REFERENCES "public"."missions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mission_status_changes" ADD CONSTRAINT "mission_status_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missions" ADD CONSTRAINT "missions_block_id_service_blocks_id_fk" FOREIGN KEY ("block_id") REFERENCES "public"."service_blocks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missions" ADD CONSTRAINT "missions_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missions" ADD CONSTRAINT "missions_expert_id_users_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "missions" ADD CONSTRAINT "missions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tasks_board_idx" ON "tasks" USING btree ("status","position");--> statement-breakpoint
CREATE INDEX "tasks_assignee_idx" ON "tasks" USING btree ("assignee_id","status");--> statement-breakpoint
CREATE INDEX "tasks_artist_idx" ON "tasks" USING btree ("artist_id");--> statement-breakpoint
CREATE INDEX "tasks_due_idx" ON "tasks" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "tasks_interaction_idx" ON "tasks" USING btree ("interaction_id");--> statement-breakpoint
CREATE INDEX "tasks_tags_idx" ON "tasks" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "interactions_artist_idx" ON "interactions" USING btree ("artist_id","occurred_at");--> statement-breakpoint
CREATE INDEX "interactions_assignee_idx" ON "interactions" USING btree ("assignee_id");--> statement-breakpoint
CREATE INDEX "opportunities_artist_idx" ON "opportunities" USING btree ("artist_id");--> statement-breakpoint
CREATE INDEX "opportunities_stage_idx" ON "opportunities" USING btree ("stage");--> statement-breakpoint
CREATE INDEX "calendar_events_range_idx" ON "calendar_events" USING btree ("starts_at","ends_at");--> statement-breakpoint
CREATE INDEX "calendar_events_artist_idx" ON "calendar_events" USING btree ("artist_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_events_source_idx" ON "calendar_events" USING btree ("source");--> statement-breakpoint
CREATE INDEX "order_status_changes_order_idx" ON "order_status_changes" USING btree ("order_id","changed_at");--> statement-breakpoint
CREATE INDEX "orders_artist_idx" ON "orders" USING btree ("artist_id","created_at");--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "mission_deliverables_mission_idx" ON "mission_deliverables" USING btree ("mission_id","created_at");--> statement-breakpoint
CREATE INDEX "mission_status_changes_mission_idx" ON "mission_status_changes" USING btree ("mission_id","changed_at");--> statement-breakpoint
CREATE INDEX "missions_expert_idx" ON "missions" USING btree ("expert_id","status");--> statement-breakpoint
CREATE INDEX "missions_artist_idx" ON "missions" USING btree ("artist_id","requested_at");--> statement-breakpoint
CREATE INDEX "missions_status_idx" ON "missions" USING btree ("status","requested_at");--> statement-breakpoint
-- Catalogue data: the MONA offers and the marketplace blocks of PRODUCT.md. Admins edit them in the product afterwards.
INSERT INTO "offers" ("code", "name", "description", "includes", "price_cents", "price_is_minimum", "position") VALUES
('mona-290', 'MONA 290', 'Check-up: where the artist stands and what to do next.', ARRAY['Digital audit', '120-point grid', 'Written prescription'], 29000, false, 1),
('mona-390', 'MONA 390', 'MONA 290 plus coaching and a career plan.', ARRAY['Everything in MONA 290', 'Two coaching sessions', '1–2 year career plan', 'SPARK access'], 39000, false, 2),
('mona-490', 'MONA 490+', 'MONA 390 plus six months of follow-up and SPARK preparation.', ARRAY['Everything in MONA 390', '6-month follow-up', 'Sponsor prospecting', 'SPARK preparation'], 49000, true, 3)
ON CONFLICT ("code") DO NOTHING;--> statement-breakpoint
INSERT INTO "service_blocks" ("code", "name", "diagnostic_cents", "one_shot_cents", "monthly_cents", "position") VALUES
('strategy', 'Strategy & positioning', 15000, 80000, 20000, 1),
('visual', 'Visual art direction', 12000, 120000, 30000, 2),
('music', 'Music production', 10000, 150000, 25000, 3),
('video', 'Video production', 10000, 250000, 80000, 4),
('social', 'Social media & community', 12000, 60000, 40000, 5),
('growth', 'Growth & paid ads', 15000, 100000, 50000, 6),
('press', 'Press & influence', 12000, 120000, 60000, 7),
('monetisation', 'Monetisation & funding', 10000, 80000, 30000, 8),
('distribution', 'Distribution', 8000, 50000, 20000, 9),
('legal', 'Business & legal', 10000, 100000, 25000, 10)
ON CONFLICT ("code") DO NOTHING;
