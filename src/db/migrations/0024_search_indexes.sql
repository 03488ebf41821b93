CREATE INDEX "faculty_name_trgm_idx" ON "faculty" USING gin (("first_name" || ' ' || "last_name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "faculty_email_trgm_idx" ON "faculty" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "faculty_employee_id_trgm_idx" ON "faculty" USING gin ("employee_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "faculty_designation_trgm_idx" ON "faculty" USING gin ("designation" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "staff_name_trgm_idx" ON "staff" USING gin (("first_name" || ' ' || "last_name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "staff_email_trgm_idx" ON "staff" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "staff_employee_id_trgm_idx" ON "staff" USING gin ("employee_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "staff_job_title_trgm_idx" ON "staff" USING gin ("job_title" gin_trgm_ops);