CREATE TYPE "public"."attendance_status" AS ENUM('present', 'absent', 'late', 'excused');--> statement-breakpoint
CREATE TYPE "public"."reschedule_action" AS ENUM('cancel', 'move');--> statement-breakpoint
CREATE TYPE "public"."slot_type" AS ENUM('lecture', 'lab', 'tutorial', 'seminar', 'break', 'other');--> statement-breakpoint
CREATE TABLE "attendance_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"attendance_date" date NOT NULL,
	"status" "attendance_status" NOT NULL,
	"minutes_late" integer,
	"remarks" text,
	"recognized_by_ai" boolean DEFAULT false NOT NULL,
	"similarity_score" numeric(5, 2),
	"marked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_records_minutes_late_check" CHECK ("attendance_records"."minutes_late" is null or "attendance_records"."minutes_late" >= 0),
	CONSTRAINT "attendance_records_similarity_check" CHECK ("attendance_records"."similarity_score" is null or "attendance_records"."similarity_score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "attendance_sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"period" smallint,
	"evidence_url" text,
	"taken_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_sessions_period_check" CHECK ("attendance_sessions"."period" is null or "attendance_sessions"."period" between 1 and 24)
);
--> statement-breakpoint
CREATE TABLE "attendance_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"freeze_before" date,
	"unlocked_until" timestamp with time zone,
	"alert_threshold" numeric(5, 2) DEFAULT '75' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "class_reschedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"schedule_id" uuid NOT NULL,
	"original_date" date NOT NULL,
	"action" "reschedule_action" NOT NULL,
	"new_date" date,
	"new_start_time" time,
	"new_end_time" time,
	"new_room_no" text,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_reschedules_move_check" CHECK ("class_reschedules"."action" = 'cancel' or ("class_reschedules"."new_date" is not null and "class_reschedules"."new_start_time" is not null and "class_reschedules"."new_end_time" is not null and "class_reschedules"."new_end_time" > "class_reschedules"."new_start_time"))
);
--> statement-breakpoint
CREATE TABLE "class_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"slot_id" uuid NOT NULL,
	"room_no" text,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "class_schedules_dates_check" CHECK ("class_schedules"."effective_to" is null or "class_schedules"."effective_to" >= "class_schedules"."effective_from")
);
--> statement-breakpoint
CREATE TABLE "timetable_slots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text,
	"day_of_week" smallint NOT NULL,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"slot_type" "slot_type" DEFAULT 'lecture' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "timetable_slots_day_check" CHECK ("timetable_slots"."day_of_week" between 1 and 7),
	CONSTRAINT "timetable_slots_time_check" CHECK ("timetable_slots"."end_time" > "timetable_slots"."start_time")
);
--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_session_id_attendance_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."attendance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_settings" ADD CONSTRAINT "attendance_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_settings" ADD CONSTRAINT "attendance_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_reschedules" ADD CONSTRAINT "class_reschedules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_reschedules" ADD CONSTRAINT "class_reschedules_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_reschedules" ADD CONSTRAINT "class_reschedules_schedule_id_class_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."class_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_reschedules" ADD CONSTRAINT "class_reschedules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_schedules" ADD CONSTRAINT "class_schedules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_schedules" ADD CONSTRAINT "class_schedules_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_schedules" ADD CONSTRAINT "class_schedules_slot_id_timetable_slots_id_fk" FOREIGN KEY ("slot_id") REFERENCES "public"."timetable_slots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "class_schedules" ADD CONSTRAINT "class_schedules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "timetable_slots" ADD CONSTRAINT "timetable_slots_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_records_session_student_uq" ON "attendance_records" USING btree ("session_id","student_id");--> statement-breakpoint
CREATE INDEX "attendance_records_class_date_idx" ON "attendance_records" USING btree ("class_id","attendance_date","id");--> statement-breakpoint
CREATE INDEX "attendance_records_student_date_idx" ON "attendance_records" USING btree ("student_id","attendance_date","id");--> statement-breakpoint
CREATE INDEX "attendance_records_org_date_idx" ON "attendance_records" USING btree ("organization_id","attendance_date","id");--> statement-breakpoint
CREATE UNIQUE INDEX "attendance_sessions_class_date_period_uq" ON "attendance_sessions" USING btree ("class_id","session_date",(coalesce("period", 0)));--> statement-breakpoint
CREATE INDEX "attendance_sessions_org_date_idx" ON "attendance_sessions" USING btree ("organization_id","session_date");--> statement-breakpoint
CREATE UNIQUE INDEX "class_reschedules_schedule_date_uq" ON "class_reschedules" USING btree ("schedule_id","original_date");--> statement-breakpoint
CREATE INDEX "class_reschedules_class_idx" ON "class_reschedules" USING btree ("class_id","original_date");--> statement-breakpoint
CREATE INDEX "class_schedules_class_idx" ON "class_schedules" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "class_schedules_slot_idx" ON "class_schedules" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "class_schedules_org_room_idx" ON "class_schedules" USING btree ("organization_id",upper("room_no"));--> statement-breakpoint
CREATE UNIQUE INDEX "timetable_slots_org_day_start_end_uq" ON "timetable_slots" USING btree ("organization_id","day_of_week","start_time","end_time");