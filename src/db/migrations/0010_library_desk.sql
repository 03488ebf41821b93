ALTER TYPE "public"."library_fine_status" ADD VALUE 'waived';--> statement-breakpoint
ALTER TYPE "public"."library_hold_status" ADD VALUE 'expired';--> statement-breakpoint
ALTER TABLE "library_fines" DROP CONSTRAINT "library_fines_amount_check";--> statement-breakpoint
ALTER TABLE "library_fines" ADD COLUMN "waived_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "library_fines" ADD COLUMN "waive_reason" text;--> statement-breakpoint
ALTER TABLE "library_fines" ADD COLUMN "waived_by" uuid;--> statement-breakpoint
ALTER TABLE "library_fines" ADD COLUMN "waived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "library_loans" ADD COLUMN "lost_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "library_loans" ADD COLUMN "replacement_minor" bigint;--> statement-breakpoint
ALTER TABLE "library_loans" ADD COLUMN "replacement_currency" text;--> statement-breakpoint
ALTER TABLE "library_loans" ADD COLUMN "replacement_ledger_entry_id" uuid;--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_waived_by_users_id_fk" FOREIGN KEY ("waived_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "library_holds_ready_pickup_idx" ON "library_holds" USING btree ("pickup_by") WHERE "library_holds"."status" = 'ready';--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_amount_check" CHECK ("library_fines"."amount_minor" > 0 and "library_fines"."paid_minor" >= 0 and "library_fines"."waived_minor" >= 0
          and "library_fines"."paid_minor" + "library_fines"."waived_minor" <= "library_fines"."amount_minor");