CREATE TABLE "engagement_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"artist_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"points" integer NOT NULL,
	"message_id" uuid,
	"dedupe_key" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagement_events_dedupe_key_unique" UNIQUE("dedupe_key"),
	CONSTRAINT "engagement_events_kind_check" CHECK (kind in ('open', 'click', 'login', 'reply', 'unsubscribe'))
);
--> statement-breakpoint
CREATE TABLE "notification_message_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" uuid NOT NULL,
	"status" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_message_events_status_check" CHECK (status in ('pending', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'cancelled', 'skipped'))
);
--> statement-breakpoint
CREATE TABLE "notification_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"template_code" text,
	"locale" text DEFAULT 'fr' NOT NULL,
	"recipient_user_id" uuid,
	"artist_id" uuid,
	"to_address" text,
	"subject" text DEFAULT '' NOT NULL,
	"body_text" text DEFAULT '' NOT NULL,
	"body_html" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"provider_id" text,
	"last_error" text,
	"send_after" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"enrolment_id" uuid,
	"step_position" integer,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"clicked_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_messages_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "notification_messages_channel_check" CHECK (channel in ('email', 'sms', 'push', 'inapp')),
	CONSTRAINT "notification_messages_kind_check" CHECK (kind in ('transactional', 'activity', 'marketing')),
	CONSTRAINT "notification_messages_status_check" CHECK (status in ('pending', 'sending', 'sent', 'delivered', 'failed', 'bounced', 'cancelled', 'skipped')),
	CONSTRAINT "notification_messages_recipient_check" CHECK (recipient_user_id is not null or artist_id is not null or to_address is not null)
);
--> statement-breakpoint
CREATE TABLE "notification_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" uuid,
	"channel" text NOT NULL,
	"to_address" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"raw" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_outbox_channel_check" CHECK (channel in ('email', 'sms'))
);
--> statement-breakpoint
CREATE TABLE "notification_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"channels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"quiet_start" text,
	"quiet_end" text,
	"time_zone" text DEFAULT 'Europe/Paris' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_template_contents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"template_id" uuid NOT NULL,
	"locale" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"body" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_template_contents_locale_check" CHECK (locale in ('fr', 'en'))
);
--> statement-breakpoint
CREATE TABLE "notification_templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"channel" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_templates_code_unique" UNIQUE("code"),
	CONSTRAINT "notification_templates_channel_check" CHECK (channel in ('email', 'sms', 'push', 'inapp')),
	CONSTRAINT "notification_templates_kind_check" CHECK (kind in ('transactional', 'activity', 'marketing'))
);
--> statement-breakpoint
CREATE TABLE "platform_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "push_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "push_subscriptions_endpoint_unique" UNIQUE("endpoint")
);
--> statement-breakpoint
CREATE TABLE "sequence_enrolments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence_id" uuid NOT NULL,
	"artist_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"next_position" integer DEFAULT 0 NOT NULL,
	"next_run_at" timestamp with time zone,
	"exit_reason" text,
	"ended_at" timestamp with time zone,
	"trigger_event_id" uuid,
	"enrolled_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sequence_enrolments_status_check" CHECK (status in ('active', 'completed', 'exited')),
	CONSTRAINT "sequence_enrolments_exit_check" CHECK (exit_reason is null or exit_reason in ('converted', 'unsubscribed', 'stage_changed', 'tier_changed', 'removed'))
);
--> statement-breakpoint
CREATE TABLE "sequence_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sequence_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"channel" text NOT NULL,
	"template_id" uuid NOT NULL,
	"delay_minutes" integer NOT NULL,
	"window_rule" text DEFAULT 'marketing' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sequence_steps_channel_check" CHECK (channel in ('email', 'sms', 'push', 'inapp')),
	CONSTRAINT "sequence_steps_window_check" CHECK (window_rule in ('any', 'daytime', 'marketing')),
	CONSTRAINT "sequence_steps_delay_check" CHECK (delay_minutes >= 0)
);
--> statement-breakpoint
CREATE TABLE "sequences" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"trigger" text NOT NULL,
	"trigger_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"exit_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"paused_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sequences_code_unique" UNIQUE("code"),
	CONSTRAINT "sequences_trigger_check" CHECK (trigger in ('signup', 'order_paid', 'tier_changed', 'inactivity', 'manual')),
	CONSTRAINT "sequences_status_check" CHECK (status in ('draft', 'active', 'paused'))
);
--> statement-breakpoint
ALTER TABLE "artists" ADD COLUMN "engagement_score" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_events" ADD CONSTRAINT "engagement_events_message_id_notification_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."notification_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_message_events" ADD CONSTRAINT "notification_message_events_message_id_notification_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."notification_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_messages" ADD CONSTRAINT "notification_messages_recipient_user_id_users_id_fk" FOREIGN KEY ("recipient_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_messages" ADD CONSTRAINT "notification_messages_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_message_id_notification_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."notification_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_template_contents" ADD CONSTRAINT "notification_template_contents_template_id_notification_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."notification_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_enrolments" ADD CONSTRAINT "sequence_enrolments_sequence_id_sequences_id_fk" FOREIGN KEY ("sequence_id") REFERENCES "public"."sequences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_enrolments" ADD CONSTRAINT "sequence_enrolments_artist_id_artists_id_fk" FOREIGN KEY ("artist_id") REFERENCES "public"."artists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_enrolments" ADD CONSTRAINT "sequence_enrolments_enrolled_by_users_id_fk" FOREIGN KEY ("enrolled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_steps" ADD CONSTRAINT "sequence_steps_sequence_id_sequences_id_fk" FOREIGN KEY ("sequence_id") REFERENCES "public"."sequences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequence_steps" ADD CONSTRAINT "sequence_steps_template_id_notification_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."notification_templates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sequences" ADD CONSTRAINT "sequences_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engagement_events_artist_idx" ON "engagement_events" USING btree ("artist_id","occurred_at");--> statement-breakpoint
CREATE INDEX "notification_message_events_message_idx" ON "notification_message_events" USING btree ("message_id","at");--> statement-breakpoint
CREATE INDEX "notification_messages_artist_idx" ON "notification_messages" USING btree ("artist_id","created_at");--> statement-breakpoint
CREATE INDEX "notification_messages_recipient_idx" ON "notification_messages" USING btree ("recipient_user_id","channel","created_at");--> statement-breakpoint
CREATE INDEX "notification_messages_created_idx" ON "notification_messages" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "notification_messages_due_idx" ON "notification_messages" USING btree ("send_after") WHERE status in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "notification_messages_enrolment_idx" ON "notification_messages" USING btree ("enrolment_id");--> statement-breakpoint
CREATE INDEX "notification_messages_provider_idx" ON "notification_messages" USING btree ("channel","provider_id");--> statement-breakpoint
CREATE INDEX "notification_messages_unread_idx" ON "notification_messages" USING btree ("recipient_user_id") WHERE channel = 'inapp' and read_at is null;--> statement-breakpoint
CREATE INDEX "notification_outbox_created_idx" ON "notification_outbox" USING btree ("created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_template_contents_locale_idx" ON "notification_template_contents" USING btree ("template_id","locale");--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_idx" ON "push_subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sequence_enrolments_active_idx" ON "sequence_enrolments" USING btree ("sequence_id","artist_id") WHERE status = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "sequence_enrolments_event_idx" ON "sequence_enrolments" USING btree ("sequence_id","trigger_event_id") WHERE trigger_event_id is not null;--> statement-breakpoint
CREATE INDEX "sequence_enrolments_due_idx" ON "sequence_enrolments" USING btree ("next_run_at") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "sequence_enrolments_artist_idx" ON "sequence_enrolments" USING btree ("artist_id","status");--> statement-breakpoint
CREATE INDEX "sequence_enrolments_sequence_idx" ON "sequence_enrolments" USING btree ("sequence_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "sequence_steps_position_idx" ON "sequence_steps" USING btree ("sequence_id","position");--> statement-breakpoint
CREATE INDEX "sequences_trigger_idx" ON "sequences" USING btree ("trigger","status");