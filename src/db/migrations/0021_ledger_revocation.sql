ALTER TYPE "public"."ledger_entry_type" ADD VALUE 'revocation';--> statement-breakpoint
ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_sign_check";--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "reverses_entry_id" uuid;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reverses_entry_id_ledger_entries_id_fk" FOREIGN KEY ("reverses_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_revocation_uq" ON "ledger_entries" USING btree ("reverses_entry_id") WHERE "ledger_entries"."reverses_entry_id" is not null;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_revocation_check" CHECK (("ledger_entries"."entry_type"::text = 'revocation') = ("ledger_entries"."reverses_entry_id" is not null));--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_sign_check" CHECK (("ledger_entries"."entry_type"::text in ('charge', 'late_fine', 'refund', 'revocation') and "ledger_entries"."amount_minor" > 0)
       or ("ledger_entries"."entry_type"::text in ('payment', 'concession', 'waiver', 'reversal') and "ledger_entries"."amount_minor" < 0));