-- from src/modules/finance/finance.custom.sql
-- Money history is append-only: a balance is the sum of the ledger, so no entry or payment may be edited
-- or deleted (corrections are new entries: reversal, refund, concession). Row locks (FOR UPDATE) still work.
CREATE OR REPLACE FUNCTION finance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
--> statement-breakpoint
CREATE TRIGGER fee_payments_append_only BEFORE UPDATE OR DELETE ON fee_payments
  FOR EACH ROW EXECUTE FUNCTION finance_append_only();
