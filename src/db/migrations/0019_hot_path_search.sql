CREATE INDEX "students_search_last_idx" ON "students" USING btree (lower("last_name") collate "C",lower("first_name") collate "C","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_search_first_idx" ON "students" USING btree (lower("first_name") collate "C",lower("last_name") collate "C","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_search_number_idx" ON "students" USING btree (lower("student_number") collate "C","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "users_username_trgm_idx" ON "users" USING gin ("username" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_email_trgm_idx" ON "users" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "users_full_name_trgm_idx" ON "users" USING gin ("full_name" gin_trgm_ops);