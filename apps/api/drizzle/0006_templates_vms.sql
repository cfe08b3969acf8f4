CREATE TABLE "template_sources" (
	"id" uuid PRIMARY KEY NOT NULL,
	"template_id" uuid NOT NULL,
	"server_id" uuid NOT NULL,
	"node" text NOT NULL,
	"vmid" integer NOT NULL,
	"storage" text,
	"clone_mode" text NOT NULL,
	CONSTRAINT "template_sources_node_unique" UNIQUE("template_id","server_id","node")
);
--> statement-breakpoint
CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"os_label" text NOT NULL,
	"os_icon" text NOT NULL,
	"cores" integer NOT NULL,
	"memory_mib" integer NOT NULL,
	"disk_gib" integer NOT NULL,
	"min_cores" integer NOT NULL,
	"max_cores" integer NOT NULL,
	"min_memory_mib" integer NOT NULL,
	"max_memory_mib" integer NOT NULL,
	"max_disk_gib" integer NOT NULL,
	"cloud_init" boolean DEFAULT false NOT NULL,
	"price_running_per_hour" bigint DEFAULT 0 NOT NULL,
	"price_stopped_per_hour" bigint DEFAULT 0 NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "templates_name_unique" UNIQUE("name"),
	CONSTRAINT "templates_bounds_check" CHECK ("templates"."min_cores" <= "templates"."cores" and "templates"."cores" <= "templates"."max_cores"
      and "templates"."min_memory_mib" <= "templates"."memory_mib" and "templates"."memory_mib" <= "templates"."max_memory_mib"
      and "templates"."disk_gib" <= "templates"."max_disk_gib"),
	CONSTRAINT "templates_price_check" CHECK ("templates"."price_running_per_hour" >= 0 and "templates"."price_stopped_per_hour" >= 0)
);
--> statement-breakpoint
CREATE TABLE "console_tickets" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"vm_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vm_operations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"vm_id" uuid NOT NULL,
	"actor_id" uuid,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text NOT NULL,
	"step" text DEFAULT 'queued' NOT NULL,
	"progress" integer,
	"upid" text,
	"task_node" text,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vm_samples" (
	"vm_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"cpu" double precision NOT NULL,
	"mem_used_bytes" double precision NOT NULL,
	"mem_total_bytes" double precision NOT NULL,
	CONSTRAINT "vm_samples_vm_id_at_pk" PRIMARY KEY("vm_id","at")
);
--> statement-breakpoint
CREATE TABLE "vm_state_history" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "vm_state_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"vm_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"power_state" text NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner_id" uuid NOT NULL,
	"template_id" uuid,
	"server_id" uuid,
	"node" text,
	"vmid" integer,
	"name" text NOT NULL,
	"cores" integer NOT NULL,
	"memory_mib" integer NOT NULL,
	"disk_gib" integer NOT NULL,
	"pending" jsonb,
	"status" text NOT NULL,
	"power_state" text DEFAULT 'unknown' NOT NULL,
	"price_running_per_hour" bigint DEFAULT 0 NOT NULL,
	"price_stopped_per_hour" bigint DEFAULT 0 NOT NULL,
	"cpu" double precision,
	"mem_used_bytes" double precision,
	"mem_total_bytes" double precision,
	"uptime_seconds" integer,
	"pve_lock" text,
	"addresses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_synced_at" timestamp with time zone,
	"failure_message" text,
	"lost_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "template_sources" ADD CONSTRAINT "template_sources_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_sources" ADD CONSTRAINT "template_sources_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "console_tickets" ADD CONSTRAINT "console_tickets_vm_id_vms_id_fk" FOREIGN KEY ("vm_id") REFERENCES "public"."vms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "console_tickets" ADD CONSTRAINT "console_tickets_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_operations" ADD CONSTRAINT "vm_operations_vm_id_vms_id_fk" FOREIGN KEY ("vm_id") REFERENCES "public"."vms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_operations" ADD CONSTRAINT "vm_operations_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_samples" ADD CONSTRAINT "vm_samples_vm_id_vms_id_fk" FOREIGN KEY ("vm_id") REFERENCES "public"."vms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vm_state_history" ADD CONSTRAINT "vm_state_history_vm_id_vms_id_fk" FOREIGN KEY ("vm_id") REFERENCES "public"."vms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vms" ADD CONSTRAINT "vms_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vms" ADD CONSTRAINT "vms_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vms" ADD CONSTRAINT "vms_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "template_sources_template_id_idx" ON "template_sources" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "template_sources_server_id_idx" ON "template_sources" USING btree ("server_id");--> statement-breakpoint
CREATE INDEX "console_tickets_vm_id_idx" ON "console_tickets" USING btree ("vm_id");--> statement-breakpoint
CREATE INDEX "console_tickets_user_id_idx" ON "console_tickets" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "vm_operations_vm_id_idx" ON "vm_operations" USING btree ("vm_id","created_at");--> statement-breakpoint
CREATE INDEX "vm_operations_actor_id_idx" ON "vm_operations" USING btree ("actor_id");--> statement-breakpoint
CREATE INDEX "vm_operations_active_idx" ON "vm_operations" USING btree ("status","lease_until") WHERE "vm_operations"."status" in ('queued', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "vm_operations_one_active_per_vm" ON "vm_operations" USING btree ("vm_id") WHERE "vm_operations"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "vm_samples_at_idx" ON "vm_samples" USING btree ("at");--> statement-breakpoint
CREATE INDEX "vm_state_history_vm_id_idx" ON "vm_state_history" USING btree ("vm_id","at");--> statement-breakpoint
CREATE INDEX "vms_owner_id_idx" ON "vms" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "vms_template_id_idx" ON "vms" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "vms_server_id_idx" ON "vms" USING btree ("server_id");--> statement-breakpoint
CREATE INDEX "vms_status_idx" ON "vms" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "vms_owner_name_unique" ON "vms" USING btree ("owner_id","name") WHERE "vms"."status" not in ('deleted', 'failed');--> statement-breakpoint
CREATE UNIQUE INDEX "vms_server_vmid_unique" ON "vms" USING btree ("server_id","vmid") WHERE "vms"."vmid" is not null and "vms"."status" not in ('deleted', 'failed');