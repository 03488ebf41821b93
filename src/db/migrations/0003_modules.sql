CREATE TYPE "public"."attendance_status" AS ENUM('present', 'absent', 'late', 'excused');--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_type" AS ENUM('charge', 'payment', 'refund', 'concession', 'waiver', 'late_fine', 'reversal');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('cash', 'card', 'bank_transfer', 'cheque', 'online', 'other');--> statement-breakpoint
CREATE TYPE "public"."reschedule_action" AS ENUM('cancel', 'move');--> statement-breakpoint
CREATE TYPE "public"."slot_type" AS ENUM('lecture', 'lab', 'tutorial', 'seminar', 'break', 'other');--> statement-breakpoint
CREATE SEQUENCE "public"."student_registration_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
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
CREATE TABLE "fee_payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"method" "payment_method" NOT NULL,
	"reference" text,
	"fee_structure_id" uuid,
	"source" text NOT NULL,
	"receipt_no" text NOT NULL,
	"receipt_year" integer NOT NULL,
	"paid_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_payments_amount_check" CHECK ("fee_payments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "fee_structures" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"program_id" uuid,
	"class_id" uuid,
	"course_id" uuid,
	"academic_year" text NOT NULL,
	"semester" integer,
	"components" jsonb NOT NULL,
	"total_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"due_date" date NOT NULL,
	"installments" jsonb,
	"schedule" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_structures_one_target_check" CHECK (num_nonnulls("fee_structures"."program_id", "fee_structures"."class_id", "fee_structures"."course_id") = 1),
	CONSTRAINT "fee_structures_total_check" CHECK ("fee_structures"."total_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "finance_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"refund_deadline_days" integer DEFAULT 14 NOT NULL,
	"payment_due_days" integer DEFAULT 30 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"key" text NOT NULL,
	"actor_id" uuid,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"entry_type" "ledger_entry_type" NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"enrollment_id" uuid,
	"fee_structure_id" uuid,
	"installment_no" integer,
	"payment_id" uuid,
	"due_date" date,
	"reason" text,
	"approved_by" uuid,
	"created_by" uuid,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_sign_check" CHECK (("ledger_entries"."entry_type" in ('charge', 'late_fine', 'refund') and "ledger_entries"."amount_minor" > 0)
       or ("ledger_entries"."entry_type" in ('payment', 'concession', 'waiver', 'reversal') and "ledger_entries"."amount_minor" < 0))
);
--> statement-breakpoint
CREATE TABLE "receipt_counters" (
	"organization_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"last_no" integer NOT NULL,
	CONSTRAINT "receipt_counters_organization_id_year_pk" PRIMARY KEY("organization_id","year")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"target_audience" text NOT NULL,
	"target_ids" uuid[],
	"kind" text DEFAULT 'announcement' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
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
DROP INDEX "students_org_name_idx";--> statement-breakpoint
DROP INDEX "students_org_status_name_idx";--> statement-breakpoint
DROP INDEX "students_org_batch_idx";--> statement-breakpoint
DROP INDEX "students_org_semester_idx";--> statement-breakpoint
DROP INDEX "students_org_category_idx";--> statement-breakpoint
ALTER TABLE "program_enrollments" ADD COLUMN "entry_score" numeric(6, 2);--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_session_id_attendance_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."attendance_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_records" ADD CONSTRAINT "attendance_records_marked_by_users_id_fk" FOREIGN KEY ("marked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_sessions" ADD CONSTRAINT "attendance_sessions_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_settings" ADD CONSTRAINT "attendance_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_settings" ADD CONSTRAINT "attendance_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_payments" ADD CONSTRAINT "fee_payments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_payments" ADD CONSTRAINT "fee_payments_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_payments" ADD CONSTRAINT "fee_payments_fee_structure_id_fee_structures_id_fk" FOREIGN KEY ("fee_structure_id") REFERENCES "public"."fee_structures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_payments" ADD CONSTRAINT "fee_payments_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_structures" ADD CONSTRAINT "fee_structures_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_structures" ADD CONSTRAINT "fee_structures_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_structures" ADD CONSTRAINT "fee_structures_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_structures" ADD CONSTRAINT "fee_structures_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_structures" ADD CONSTRAINT "fee_structures_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_settings" ADD CONSTRAINT "finance_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finance_settings" ADD CONSTRAINT "finance_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_fee_structure_id_fee_structures_id_fk" FOREIGN KEY ("fee_structure_id") REFERENCES "public"."fee_structures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_payment_id_fee_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."fee_payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_counters" ADD CONSTRAINT "receipt_counters_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_notifications" ADD CONSTRAINT "user_notifications_notification_id_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."notifications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_notifications" ADD CONSTRAINT "user_notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
CREATE UNIQUE INDEX "fee_payments_org_receipt_no_uq" ON "fee_payments" USING btree ("organization_id","receipt_no");--> statement-breakpoint
CREATE INDEX "fee_payments_org_paid_idx" ON "fee_payments" USING btree ("organization_id","paid_at","id");--> statement-breakpoint
CREATE INDEX "fee_payments_student_idx" ON "fee_payments" USING btree ("student_id","paid_at");--> statement-breakpoint
CREATE INDEX "fee_payments_fee_structure_idx" ON "fee_payments" USING btree ("fee_structure_id");--> statement-breakpoint
CREATE INDEX "fee_structures_org_year_idx" ON "fee_structures" USING btree ("organization_id","academic_year","semester");--> statement-breakpoint
CREATE INDEX "fee_structures_program_idx" ON "fee_structures" USING btree ("program_id");--> statement-breakpoint
CREATE INDEX "fee_structures_class_idx" ON "fee_structures" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "fee_structures_course_idx" ON "fee_structures" USING btree ("course_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idempotency_keys_org_endpoint_key_uq" ON "idempotency_keys" USING btree ("organization_id","endpoint","key");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_enrollment_charge_uq" ON "ledger_entries" USING btree ("enrollment_id") WHERE "ledger_entries"."entry_type" = 'charge' and "ledger_entries"."enrollment_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_enrollment_reversal_uq" ON "ledger_entries" USING btree ("enrollment_id") WHERE "ledger_entries"."entry_type" = 'reversal' and "ledger_entries"."enrollment_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_fee_structure_charge_uq" ON "ledger_entries" USING btree ("student_id","fee_structure_id","installment_no") WHERE "ledger_entries"."entry_type" = 'charge' and "ledger_entries"."fee_structure_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_payment_uq" ON "ledger_entries" USING btree ("payment_id") WHERE "ledger_entries"."entry_type" = 'payment';--> statement-breakpoint
CREATE INDEX "ledger_entries_student_occurred_idx" ON "ledger_entries" USING btree ("student_id","occurred_at","id");--> statement-breakpoint
CREATE INDEX "ledger_entries_org_student_idx" ON "ledger_entries" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_payment_idx" ON "ledger_entries" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_fee_structure_idx" ON "ledger_entries" USING btree ("fee_structure_id");--> statement-breakpoint
CREATE INDEX "notifications_org_created_idx" ON "notifications" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "user_notifications_notification_user_uq" ON "user_notifications" USING btree ("notification_id","user_id");--> statement-breakpoint
CREATE INDEX "user_notifications_user_created_idx" ON "user_notifications" USING btree ("user_id","created_at","notification_id");--> statement-breakpoint
CREATE INDEX "user_notifications_user_unread_idx" ON "user_notifications" USING btree ("user_id") WHERE "user_notifications"."read_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "class_reschedules_schedule_date_uq" ON "class_reschedules" USING btree ("schedule_id","original_date");--> statement-breakpoint
CREATE INDEX "class_reschedules_class_idx" ON "class_reschedules" USING btree ("class_id","original_date");--> statement-breakpoint
CREATE INDEX "class_schedules_class_idx" ON "class_schedules" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "class_schedules_slot_idx" ON "class_schedules" USING btree ("slot_id");--> statement-breakpoint
CREATE INDEX "class_schedules_org_room_idx" ON "class_schedules" USING btree ("organization_id",upper("room_no"));--> statement-breakpoint
CREATE UNIQUE INDEX "timetable_slots_org_day_start_end_uq" ON "timetable_slots" USING btree ("organization_id","day_of_week","start_time","end_time");--> statement-breakpoint
CREATE INDEX "departments_head_idx" ON "departments" USING btree ("head_faculty_id");--> statement-breakpoint
CREATE INDEX "teaching_assignments_subject_idx" ON "teaching_assignments" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "enrollments_created_by_idx" ON "enrollments" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "program_enrollments_student_idx" ON "program_enrollments" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "program_enrollments_org_idx" ON "program_enrollments" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "students_name_idx" ON "students" USING btree ("last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_status_idx" ON "students" USING btree ("organization_id","student_status") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_name_idx" ON "students" USING btree ("organization_id","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_status_name_idx" ON "students" USING btree ("organization_id","student_status","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_batch_idx" ON "students" USING btree ("organization_id","batch_year","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_semester_idx" ON "students" USING btree ("organization_id","semester","last_name","first_name","id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_org_category_idx" ON "students" USING btree ("organization_id","category","last_name","first_name","id") WHERE "students"."deleted_at" is null;