ALTER TABLE "program_enrollments" ADD COLUMN "entry_score" numeric(6, 2);--> statement-breakpoint
CREATE INDEX "departments_head_idx" ON "departments" USING btree ("head_faculty_id");--> statement-breakpoint
CREATE INDEX "teaching_assignments_subject_idx" ON "teaching_assignments" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "enrollments_created_by_idx" ON "enrollments" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "program_enrollments_student_idx" ON "program_enrollments" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "program_enrollments_org_idx" ON "program_enrollments" USING btree ("organization_id","created_at");