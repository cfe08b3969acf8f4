CREATE TABLE "health_hourly" (
	"server_id" uuid NOT NULL,
	"node" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"samples" integer NOT NULL,
	"up" double precision NOT NULL,
	"latency_ms" double precision,
	"cpu" double precision,
	"cpu_max" double precision,
	"mem_used" double precision,
	"mem_total" double precision,
	"disk_used" double precision,
	"disk_total" double precision,
	"load1" double precision,
	"vms_running" double precision,
	CONSTRAINT "health_hourly_server_id_node_hour_pk" PRIMARY KEY("server_id","node","hour")
);
--> statement-breakpoint
CREATE TABLE "health_samples" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "health_samples_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"server_id" uuid NOT NULL,
	"node" text NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL,
	"up" integer NOT NULL,
	"latency_ms" double precision,
	"cpu" double precision,
	"mem_used" double precision,
	"mem_total" double precision,
	"disk_used" double precision,
	"disk_total" double precision,
	"load1" double precision,
	"vms_running" integer
);
--> statement-breakpoint
ALTER TABLE "health_hourly" ADD CONSTRAINT "health_hourly_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_samples" ADD CONSTRAINT "health_samples_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "health_hourly_server_id_idx" ON "health_hourly" USING btree ("server_id");--> statement-breakpoint
CREATE INDEX "health_hourly_hour_idx" ON "health_hourly" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "health_samples_server_id_sampled_at_idx" ON "health_samples" USING btree ("server_id","sampled_at");--> statement-breakpoint
CREATE INDEX "health_samples_sampled_at_idx" ON "health_samples" USING btree ("sampled_at");