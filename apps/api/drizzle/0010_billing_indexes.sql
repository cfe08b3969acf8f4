DROP INDEX "vm_meters_through_idx";--> statement-breakpoint
DROP INDEX "ledger_transfers_batch_idx";--> statement-breakpoint
DROP INDEX "ledger_transfers_actor_idx";--> statement-breakpoint
DROP INDEX "ledger_transfers_reverses_unique";--> statement-breakpoint
CREATE INDEX "ledger_transfers_batch_idx" ON "ledger_transfers" USING btree ("batch_id") WHERE "ledger_transfers"."batch_id" is not null;--> statement-breakpoint
CREATE INDEX "ledger_transfers_actor_idx" ON "ledger_transfers" USING btree ("actor_id") WHERE "ledger_transfers"."actor_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_transfers_reverses_unique" ON "ledger_transfers" USING btree ("reverses_id") WHERE "ledger_transfers"."reverses_id" is not null;--> statement-breakpoint
-- Room on each page for the new version of a meter: the cycle updates every meter, and HOT updates skip index work.
ALTER TABLE "vm_meters" SET (fillfactor = 50);
