CREATE TABLE "billing_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"duration_ms" integer,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"vms" integer DEFAULT 0 NOT NULL,
	"transfers" integer DEFAULT 0 NOT NULL,
	"amount" bigint DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "ledger_accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid,
	"debits_posted" bigint DEFAULT 0 NOT NULL,
	"credits_posted" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_accounts_owner_check" CHECK (("ledger_accounts"."kind" = 'wallet') = ("ledger_accounts"."user_id" is not null)),
	CONSTRAINT "ledger_accounts_totals_check" CHECK ("ledger_accounts"."debits_posted" >= 0 and "ledger_accounts"."credits_posted" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ledger_transfers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"debit_account_id" uuid NOT NULL,
	"credit_account_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid,
	"vm_id" uuid,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"reverses_id" uuid,
	"batch_id" uuid,
	"actor_id" uuid,
	"actor_email" text,
	"reason" text,
	"external_ref" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_transfers_amount_check" CHECK ("ledger_transfers"."amount" > 0),
	CONSTRAINT "ledger_transfers_accounts_check" CHECK ("ledger_transfers"."debit_account_id" <> "ledger_transfers"."credit_account_id")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "vm_meters" (
	"vm_id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"metered_through" timestamp with time zone NOT NULL,
	"month_start" timestamp with time zone NOT NULL,
	"month_usage" numeric DEFAULT '0' NOT NULL,
	"month_max_rate" bigint DEFAULT 0 NOT NULL,
	"prior_owed" numeric DEFAULT '0' NOT NULL,
	"settled" bigint DEFAULT 0 NOT NULL,
	"waived" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vm_rate_periods" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "vm_rate_periods_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"vm_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"rate_x1024" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "templates" DROP CONSTRAINT "templates_price_check";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "credit_limit" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "billing_exempt" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "balance_alert" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "balance_alert_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "price_per_core_hour" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "price_per_gib_memory_hour" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "price_per_gib_disk_hour" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "price_per_core_hour" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "price_per_gib_memory_hour" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "price_per_gib_disk_hour" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "base_cores" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "base_memory_mib" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "base_disk_gib" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "running_rate_x1024" bigint GENERATED ALWAYS AS (price_running_per_hour * 1024 + greatest(cores - base_cores, 0) * price_per_core_hour * 1024 + greatest(memory_mib - base_memory_mib, 0) * price_per_gib_memory_hour + greatest(disk_gib - base_disk_gib, 0) * price_per_gib_disk_hour * 1024) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "stopped_rate_x1024" bigint GENERATED ALWAYS AS (price_stopped_per_hour * 1024 + greatest(disk_gib - base_disk_gib, 0) * price_per_gib_disk_hour * 1024) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "vms" ADD COLUMN "rate_x1024" bigint GENERATED ALWAYS AS (case when status in ('active', 'deleting') then case when power_state in ('running', 'paused') then price_running_per_hour * 1024 + greatest(cores - base_cores, 0) * price_per_core_hour * 1024 + greatest(memory_mib - base_memory_mib, 0) * price_per_gib_memory_hour + greatest(disk_gib - base_disk_gib, 0) * price_per_gib_disk_hour * 1024 else price_stopped_per_hour * 1024 + greatest(disk_gib - base_disk_gib, 0) * price_per_gib_disk_hour * 1024 end else 0 end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_debit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("debit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_credit_account_id_ledger_accounts_id_fk" FOREIGN KEY ("credit_account_id") REFERENCES "public"."ledger_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_vm_id_vms_id_fk" FOREIGN KEY ("vm_id") REFERENCES "public"."vms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_meters" ADD CONSTRAINT "vm_meters_vm_id_vms_id_fk" FOREIGN KEY ("vm_id") REFERENCES "public"."vms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_meters" ADD CONSTRAINT "vm_meters_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_rate_periods" ADD CONSTRAINT "vm_rate_periods_vm_id_vms_id_fk" FOREIGN KEY ("vm_id") REFERENCES "public"."vms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "billing_runs_started_idx" ON "billing_runs" USING btree ("started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_user_unique" ON "ledger_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_accounts_platform_unique" ON "ledger_accounts" USING btree ("kind") WHERE "ledger_accounts"."user_id" is null;--> statement-breakpoint
CREATE INDEX "ledger_transfers_user_idx" ON "ledger_transfers" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_transfers_vm_idx" ON "ledger_transfers" USING btree ("vm_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_transfers_created_idx" ON "ledger_transfers" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "ledger_transfers_debit_idx" ON "ledger_transfers" USING btree ("debit_account_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_credit_idx" ON "ledger_transfers" USING btree ("credit_account_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_batch_idx" ON "ledger_transfers" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "ledger_transfers_actor_idx" ON "ledger_transfers" USING btree ("actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_reverses_unique" ON "ledger_transfers" USING btree ("reverses_id");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("user_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE INDEX "vm_meters_owner_idx" ON "vm_meters" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "vm_meters_through_idx" ON "vm_meters" USING btree ("metered_through");--> statement-breakpoint
CREATE INDEX "vm_rate_periods_vm_idx" ON "vm_rate_periods" USING btree ("vm_id","starts_at","id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_credit_limit_check" CHECK ("users"."credit_limit" >= 0);--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_price_check" CHECK ("templates"."price_running_per_hour" >= 0 and "templates"."price_stopped_per_hour" >= 0 and "templates"."price_per_core_hour" >= 0
      and "templates"."price_per_gib_memory_hour" >= 0 and "templates"."price_per_gib_disk_hour" >= 0);