CREATE TABLE "server_nodes" (
	"server_id" uuid NOT NULL,
	"node" text NOT NULL,
	"status" text NOT NULL,
	"health" text DEFAULT 'unknown' NOT NULL,
	"cpu" double precision,
	"maxcpu" double precision,
	"mem_used" double precision,
	"mem_total" double precision,
	"uptime" double precision,
	"last_seen_at" timestamp with time zone,
	CONSTRAINT "server_nodes_server_id_node_pk" PRIMARY KEY("server_id","node")
);
--> statement-breakpoint
CREATE TABLE "servers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"token_id" text NOT NULL,
	"token_secret_sealed" text NOT NULL,
	"tls_fingerprint" text,
	"tls_ca_pem" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"maintenance" boolean DEFAULT false NOT NULL,
	"health" text DEFAULT 'unknown' NOT NULL,
	"health_reason" text,
	"pve_version" text,
	"last_checked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "servers_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "server_nodes" ADD CONSTRAINT "server_nodes_server_id_servers_id_fk" FOREIGN KEY ("server_id") REFERENCES "public"."servers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "server_nodes_server_id_idx" ON "server_nodes" USING btree ("server_id");