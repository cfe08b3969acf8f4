-- The ledger's rules, kept by the database itself.

-- A transfer that reverses another names it; each is reversed at most once (unique index in 0007).
ALTER TABLE ledger_transfers ADD CONSTRAINT ledger_transfers_reverses_fk
  FOREIGN KEY (reverses_id) REFERENCES ledger_transfers(id);
--> statement-breakpoint

-- Transfers are immutable: a mistake is corrected by a reversing transfer, never by an edit.
CREATE OR REPLACE FUNCTION ledger_transfers_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_transfers is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_transfers_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_transfers_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfers_reject_change();
--> statement-breakpoint

-- The platform's accounts, with the fixed ids the code knows them by.
INSERT INTO ledger_accounts (id, kind) VALUES
  ('00000000-0000-4000-8000-000000000001', 'usage'),
  ('00000000-0000-4000-8000-000000000002', 'grants'),
  ('00000000-0000-4000-8000-000000000003', 'payments'),
  ('00000000-0000-4000-8000-000000000004', 'adjustments');
--> statement-breakpoint

-- Every user has a wallet, opened with the account.
CREATE OR REPLACE FUNCTION users_open_wallet() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ledger_accounts (id, kind, user_id, created_at) VALUES (gen_random_uuid(), 'wallet', NEW.id, NEW.created_at);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
INSERT INTO ledger_accounts (id, kind, user_id, created_at) SELECT gen_random_uuid(), 'wallet', id, created_at FROM users;
--> statement-breakpoint
CREATE TRIGGER users_open_wallet AFTER INSERT ON users FOR EACH ROW EXECUTE FUNCTION users_open_wallet();
--> statement-breakpoint

-- VMs that existed before billing: their template's default size is their base; metering starts now.
UPDATE vms SET
  base_cores = coalesce(t.cores, vms.cores),
  base_memory_mib = coalesce(t.memory_mib, vms.memory_mib),
  base_disk_gib = coalesce(t.disk_gib, vms.disk_gib)
FROM vms v LEFT JOIN templates t ON t.id = v.template_id
WHERE v.id = vms.id;
--> statement-breakpoint
INSERT INTO vm_meters (vm_id, owner_id, metered_through, month_start)
  SELECT id, owner_id, now(), date_trunc('month', now(), 'UTC') FROM vms;
--> statement-breakpoint
INSERT INTO vm_rate_periods (vm_id, starts_at, rate_x1024) SELECT id, now(), rate_x1024 FROM vms;
--> statement-breakpoint

-- Every change of a VM's rate (its state, size or prices) is recorded with the
-- instant it took effect: what the billing cycle charges from. The instant is
-- the row's updated_at, which every writer sets from its clock, and never
-- earlier than what the meter has already charged, so no second is billed
-- twice. The shared lock orders rate changes against a billing cycle, which
-- takes it exclusively: a change is either seen by the cycle or starts after it.
CREATE OR REPLACE FUNCTION vms_record_rate() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  through timestamptz;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO vm_meters (vm_id, owner_id, metered_through, month_start)
      VALUES (NEW.id, NEW.owner_id, NEW.created_at, date_trunc('month', NEW.created_at, 'UTC'));
    INSERT INTO vm_rate_periods (vm_id, starts_at, rate_x1024) VALUES (NEW.id, NEW.created_at, NEW.rate_x1024);
    RETURN NULL;
  END IF;
  IF NEW.rate_x1024 IS DISTINCT FROM OLD.rate_x1024 THEN
    PERFORM pg_advisory_xact_lock_shared(727003);
    SELECT metered_through INTO through FROM vm_meters WHERE vm_id = NEW.id;
    INSERT INTO vm_rate_periods (vm_id, starts_at, rate_x1024)
      VALUES (NEW.id, greatest(NEW.updated_at, coalesce(through, NEW.updated_at)), NEW.rate_x1024);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER vms_record_rate AFTER INSERT OR UPDATE ON vms FOR EACH ROW EXECUTE FUNCTION vms_record_rate();
