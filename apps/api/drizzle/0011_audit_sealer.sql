-- Writers no longer link their audit row to the chain's head themselves (that
-- took one global lock for as long as each writing transaction lasted): they
-- insert it unsealed, and a single sealer gives committed rows their place
-- (seq), the hash they link to and their own hash, shortly after.
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
-- Sealing is the one update the table accepts: once per row, by a transaction
-- that says it is the sealer, filling the chain columns and nothing the hash
-- covers. Purge stays the one delete.
CREATE OR REPLACE FUNCTION audit_log_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND coalesce(current_setting('uni_manager.audit_purge', true), '') = 'on' THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND coalesce(current_setting('uni_manager.audit_seal', true), '') = 'on'
     AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND (NEW.id, NEW.occurred_at, NEW.actor_id, NEW.actor_email, NEW.action, NEW.target_type, NEW.target_id,
          NEW.ip, NEW.user_agent, NEW.request_id, NEW.details)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.occurred_at, OLD.actor_id, OLD.actor_email, OLD.action, OLD.target_type, OLD.target_id,
          OLD.ip, OLD.user_agent, OLD.request_id, OLD.details) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
-- A row cannot arrive already sealed: a writer cannot choose its place in the chain.
CREATE OR REPLACE FUNCTION audit_log_insert_unsealed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
    RAISE EXCEPTION 'audit_log is append-only: rows are inserted unsealed, and only the sealer links them'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_insert_unsealed BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_insert_unsealed();
--> statement-breakpoint
-- Rows written before this migration were linked in id order: that order is their place.
SELECT set_config('uni_manager.audit_seal', 'on', true);--> statement-breakpoint
UPDATE "audit_log" AS a SET "seq" = o.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "id") AS n FROM "audit_log") AS o
  WHERE a."id" = o."id";--> statement-breakpoint
SELECT set_config('uni_manager.audit_seal', 'off', true);--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_unique" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_unsealed_idx" ON "audit_log" USING btree ("id") WHERE "audit_log"."seq" is null;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_sealed_whole" CHECK (("audit_log"."seq" is null and "audit_log"."prev_hash" is null and "audit_log"."hash" is null) or ("audit_log"."seq" is not null and "audit_log"."prev_hash" is not null and "audit_log"."hash" is not null));
