CREATE TABLE "scheduled_runs" (
	"job" text NOT NULL,
	"period" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"error" text,
	CONSTRAINT "scheduled_runs_job_period_pk" PRIMARY KEY("job","period")
);
