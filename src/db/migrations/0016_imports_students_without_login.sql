DROP INDEX "students_search_trgm_idx";--> statement-breakpoint
ALTER TABLE "students" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "students_search_trgm_idx" ON "students" USING gin ((lower("first_name" || ' ' || "last_name" || ' ' || "student_number" || ' ' || coalesce("email", ''))) gin_trgm_ops);