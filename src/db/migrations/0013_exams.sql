CREATE TYPE "public"."exam_status" AS ENUM('draft', 'scheduled', 'ongoing', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."exam_type" AS ENUM('midterm', 'final', 'supplementary', 'improvement');--> statement-breakpoint
CREATE TABLE "exam_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"exam_type" "exam_type" NOT NULL,
	"status" "exam_status" DEFAULT 'draft' NOT NULL,
	"course_id" uuid,
	"academic_session_id" uuid,
	"academic_year" text NOT NULL,
	"semester" smallint,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"description" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exam_schedules_dates_check" CHECK ("exam_schedules"."end_date" >= "exam_schedules"."start_date"),
	CONSTRAINT "exam_schedules_semester_check" CHECK ("exam_schedules"."semester" is null or "exam_schedules"."semester" between 1 and 12)
);
--> statement-breakpoint
CREATE TABLE "exam_timetable_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"exam_schedule_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"venue_id" uuid NOT NULL,
	"exam_date" date NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"duration_minutes" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"max_marks" numeric(8, 2) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exam_timetable_entries_duration_check" CHECK ("exam_timetable_entries"."duration_minutes" between 15 and 720),
	CONSTRAINT "exam_timetable_entries_same_day_check" CHECK (extract(epoch from "exam_timetable_entries"."start_time") + "exam_timetable_entries"."duration_minutes" * 60 < 86400),
	CONSTRAINT "exam_timetable_entries_instants_check" CHECK ("exam_timetable_entries"."ends_at" > "exam_timetable_entries"."starts_at"),
	CONSTRAINT "exam_timetable_entries_max_marks_check" CHECK ("exam_timetable_entries"."max_marks" > 0)
);
--> statement-breakpoint
CREATE TABLE "exam_venues" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"capacity" integer NOT NULL,
	"location" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exam_venues_capacity_check" CHECK ("exam_venues"."capacity" > 0)
);
--> statement-breakpoint
ALTER TABLE "exam_schedules" ADD CONSTRAINT "exam_schedules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_schedules" ADD CONSTRAINT "exam_schedules_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_schedules" ADD CONSTRAINT "exam_schedules_academic_session_id_academic_sessions_id_fk" FOREIGN KEY ("academic_session_id") REFERENCES "public"."academic_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_schedules" ADD CONSTRAINT "exam_schedules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_timetable_entries" ADD CONSTRAINT "exam_timetable_entries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_timetable_entries" ADD CONSTRAINT "exam_timetable_entries_exam_schedule_id_exam_schedules_id_fk" FOREIGN KEY ("exam_schedule_id") REFERENCES "public"."exam_schedules"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_timetable_entries" ADD CONSTRAINT "exam_timetable_entries_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_timetable_entries" ADD CONSTRAINT "exam_timetable_entries_venue_id_exam_venues_id_fk" FOREIGN KEY ("venue_id") REFERENCES "public"."exam_venues"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_timetable_entries" ADD CONSTRAINT "exam_timetable_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "exam_venues" ADD CONSTRAINT "exam_venues_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "exam_schedules_org_start_idx" ON "exam_schedules" USING btree ("organization_id","start_date");--> statement-breakpoint
CREATE INDEX "exam_schedules_org_year_sem_idx" ON "exam_schedules" USING btree ("organization_id","academic_year","semester");--> statement-breakpoint
CREATE INDEX "exam_schedules_course_idx" ON "exam_schedules" USING btree ("course_id");--> statement-breakpoint
CREATE INDEX "exam_schedules_session_idx" ON "exam_schedules" USING btree ("academic_session_id");--> statement-breakpoint
CREATE INDEX "exam_schedules_created_by_idx" ON "exam_schedules" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "exam_timetable_entries_schedule_class_uq" ON "exam_timetable_entries" USING btree ("exam_schedule_id","class_id");--> statement-breakpoint
CREATE INDEX "exam_timetable_entries_class_idx" ON "exam_timetable_entries" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "exam_timetable_entries_starts_idx" ON "exam_timetable_entries" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "exam_timetable_entries_venue_starts_idx" ON "exam_timetable_entries" USING btree ("venue_id","starts_at");--> statement-breakpoint
CREATE INDEX "exam_timetable_entries_org_date_idx" ON "exam_timetable_entries" USING btree ("organization_id","exam_date","start_time");--> statement-breakpoint
CREATE INDEX "exam_timetable_entries_created_by_idx" ON "exam_timetable_entries" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "exam_venues_org_name_uq" ON "exam_venues" USING btree ("organization_id",upper("name"));