-- Room on each page for the new version of a VM's row. Reconciliation updates
-- every VM of a server each cycle (usage, last_synced_at); on full pages each
-- new version goes to another page, so no update is HOT and every one adds an
-- entry to each of the table's seven indexes, cycle after cycle. Pages already
-- full fill to this as their rows move.
ALTER TABLE "vms" SET (fillfactor = 50);
