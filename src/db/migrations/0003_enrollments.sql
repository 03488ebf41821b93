ALTER TABLE "program_enrollments" ADD COLUMN "entry_score" numeric(6, 2);--> statement-breakpoint
CREATE INDEX "program_enrollments_student_idx" ON "program_enrollments" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "program_enrollments_org_idx" ON "program_enrollments" USING btree ("organization_id","created_at");