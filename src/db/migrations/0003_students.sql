CREATE SEQUENCE "public"."student_registration_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
DROP INDEX "students_org_name_idx";--> statement-breakpoint
DROP INDEX "students_org_status_name_idx";--> statement-breakpoint
DROP INDEX "students_org_batch_idx";--> statement-breakpoint
DROP INDEX "students_org_semester_idx";--> statement-breakpoint
DROP INDEX "students_org_category_idx";--> statement-breakpoint
CREATE INDEX "students_name_idx" ON "students" USING btree ("last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_status_idx" ON "students" USING btree ("organization_id","student_status") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_name_idx" ON "students" USING btree ("organization_id","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_status_name_idx" ON "students" USING btree ("organization_id","student_status","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_batch_idx" ON "students" USING btree ("organization_id","batch_year","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_semester_idx" ON "students" USING btree ("organization_id","semester","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_category_idx" ON "students" USING btree ("organization_id","category","last_name","first_name","id") WHERE "students"."deleted_at" is null;