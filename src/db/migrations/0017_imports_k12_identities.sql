ALTER TYPE "public"."import_target" ADD VALUE 'faculty';--> statement-breakpoint
ALTER TYPE "public"."import_target" ADD VALUE 'guardians';--> statement-breakpoint
ALTER TYPE "public"."import_target" ADD VALUE 'class_rosters';--> statement-breakpoint
DROP INDEX "students_search_trgm_idx";--> statement-breakpoint
ALTER TABLE "students" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "imports" ADD COLUMN "job_id" uuid;--> statement-breakpoint
ALTER TABLE "guardians" ADD COLUMN "external_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "guardians_org_external_id_uq" ON "guardians" USING btree ("organization_id","external_id") WHERE "guardians"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "students_search_trgm_idx" ON "students" USING gin ((lower("first_name" || ' ' || "last_name" || ' ' || "student_number" || ' ' || coalesce("email", ''))) gin_trgm_ops);