CREATE TYPE "public"."document_entity_type" AS ENUM('student', 'faculty', 'staff', 'class', 'organization');--> statement-breakpoint
CREATE TYPE "public"."hostel_allocation_status" AS ENUM('active', 'vacated', 'transferred');--> statement-breakpoint
CREATE TYPE "public"."hostel_room_status" AS ENUM('available', 'maintenance', 'closed');--> statement-breakpoint
CREATE TYPE "public"."hostel_room_type" AS ENUM('single', 'double', 'triple', 'dormitory');--> statement-breakpoint
CREATE TYPE "public"."hostel_type" AS ENUM('boys', 'girls', 'mixed', 'staff');--> statement-breakpoint
CREATE TYPE "public"."library_copy_state" AS ENUM('available', 'on_loan', 'on_hold', 'lost', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."library_fine_status" AS ENUM('outstanding', 'paid');--> statement-breakpoint
CREATE TYPE "public"."library_hold_status" AS ENUM('waiting', 'ready', 'fulfilled', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."library_patron_type" AS ENUM('student', 'faculty', 'staff');--> statement-breakpoint
CREATE TYPE "public"."import_mode" AS ENUM('dry_run', 'all_or_nothing', 'valid_only');--> statement-breakpoint
CREATE TYPE "public"."import_row_action" AS ENUM('create', 'update', 'unchanged', 'error');--> statement-breakpoint
CREATE TYPE "public"."import_state" AS ENUM('validating', 'validated', 'committing', 'committed', 'rejected', 'failed');--> statement-breakpoint
CREATE TYPE "public"."import_target" AS ENUM('personnel', 'students');--> statement-breakpoint
CREATE TYPE "public"."personnel_status" AS ENUM('active', 'inactive', 'awol', 'death', 'rtu', 'posted', 'cse');--> statement-breakpoint
CREATE TYPE "public"."assessment_type" AS ENUM('quiz', 'assignment', 'midterm', 'final', 'exam', 'project', 'practical');--> statement-breakpoint
CREATE TYPE "public"."grade_attempt_type" AS ENUM('regular', 'repeat', 'improvement', 'supplementary');--> statement-breakpoint
CREATE TYPE "public"."grade_status" AS ENUM('draft', 'posted');--> statement-breakpoint
CREATE TYPE "public"."mark_state" AS ENUM('scored', 'missing', 'excused', 'absent');--> statement-breakpoint
CREATE TYPE "public"."grade_repeat_policy" AS ENUM('best', 'latest');--> statement-breakpoint
CREATE TYPE "public"."grade_rounding_mode" AS ENUM('half_up', 'half_even', 'floor', 'ceil');--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"uploaded_by" uuid,
	"title" text NOT NULL,
	"description" text,
	"document_type" text DEFAULT 'other' NOT NULL,
	"related_entity_type" "document_entity_type",
	"related_entity_id" uuid,
	"student_id" uuid,
	"is_public" boolean DEFAULT false NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hostel_allocations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"hostel_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"academic_year" text,
	"status" "hostel_allocation_status" DEFAULT 'active' NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"transferred_from_id" uuid,
	"remarks" text,
	"charge_entry_id" uuid,
	"charge_minor" bigint,
	"allocated_by" uuid,
	"ended_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hostel_allocations_dates_check" CHECK ("hostel_allocations"."end_date" is null or "hostel_allocations"."end_date" >= "hostel_allocations"."start_date"),
	CONSTRAINT "hostel_allocations_end_check" CHECK (("hostel_allocations"."status" = 'active') = ("hostel_allocations"."end_date" is null))
);
--> statement-breakpoint
CREATE TABLE "hostel_fees" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"hostel_id" uuid NOT NULL,
	"room_type" "hostel_room_type",
	"academic_year" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hostel_fees_amount_check" CHECK ("hostel_fees"."amount_minor" > 0),
	CONSTRAINT "hostel_fees_period_check" CHECK ("hostel_fees"."period_end" >= "hostel_fees"."period_start")
);
--> statement-breakpoint
CREATE TABLE "hostel_rooms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"hostel_id" uuid NOT NULL,
	"room_number" text NOT NULL,
	"room_type" "hostel_room_type" NOT NULL,
	"capacity" integer NOT NULL,
	"floor" integer,
	"room_status" "hostel_room_status" DEFAULT 'available' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hostel_rooms_capacity_check" CHECK ("hostel_rooms"."capacity" between 1 and 500)
);
--> statement-breakpoint
CREATE TABLE "hostel_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"prorate_fees" boolean DEFAULT false NOT NULL,
	"fee_due_days" integer DEFAULT 30 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hostels" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"hostel_type" "hostel_type" NOT NULL,
	"warden_faculty_id" uuid,
	"warden_staff_id" uuid,
	"address" text,
	"phone" text,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hostels_one_warden_check" CHECK (num_nonnulls("hostels"."warden_faculty_id", "hostels"."warden_staff_id") <= 1)
);
--> statement-breakpoint
CREATE TABLE "library_books" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"isbn" text,
	"title" text NOT NULL,
	"author" text NOT NULL,
	"category" text,
	"department_id" uuid,
	"is_reference" boolean DEFAULT false NOT NULL,
	"publisher" text,
	"publication_year" integer,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_copies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"book_id" uuid NOT NULL,
	"barcode" text NOT NULL,
	"state" "library_copy_state" DEFAULT 'available' NOT NULL,
	"shelf_location" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "library_fines" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"loan_id" uuid NOT NULL,
	"patron_type" "library_patron_type" NOT NULL,
	"student_id" uuid,
	"faculty_id" uuid,
	"staff_id" uuid,
	"days_late" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	"paid_minor" bigint DEFAULT 0 NOT NULL,
	"currency" text NOT NULL,
	"status" "library_fine_status" DEFAULT 'outstanding' NOT NULL,
	"ledger_entry_id" uuid,
	"payment_id" uuid,
	"settlement_method" text,
	"settlement_reference" text,
	"settlement_key" text,
	"settled_by" uuid,
	"paid_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_fines_amount_check" CHECK ("library_fines"."amount_minor" > 0 and "library_fines"."paid_minor" >= 0 and "library_fines"."paid_minor" <= "library_fines"."amount_minor"),
	CONSTRAINT "library_fines_patron_check" CHECK ((patron_type = 'student' and student_id is not null and faculty_id is null and staff_id is null)
     or (patron_type = 'faculty' and faculty_id is not null and student_id is null and staff_id is null)
     or (patron_type = 'staff' and staff_id is not null and student_id is null and faculty_id is null))
);
--> statement-breakpoint
CREATE TABLE "library_holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"book_id" uuid NOT NULL,
	"patron_type" "library_patron_type" NOT NULL,
	"student_id" uuid,
	"faculty_id" uuid,
	"staff_id" uuid,
	"status" "library_hold_status" DEFAULT 'waiting' NOT NULL,
	"copy_id" uuid,
	"placed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ready_at" timestamp with time zone,
	"pickup_by" date,
	"closed_at" timestamp with time zone,
	"loan_id" uuid,
	"created_by" uuid,
	CONSTRAINT "library_holds_patron_check" CHECK ((patron_type = 'student' and student_id is not null and faculty_id is null and staff_id is null)
     or (patron_type = 'faculty' and faculty_id is not null and student_id is null and staff_id is null)
     or (patron_type = 'staff' and staff_id is not null and student_id is null and faculty_id is null))
);
--> statement-breakpoint
CREATE TABLE "library_loans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"copy_id" uuid NOT NULL,
	"book_id" uuid NOT NULL,
	"patron_type" "library_patron_type" NOT NULL,
	"student_id" uuid,
	"faculty_id" uuid,
	"staff_id" uuid,
	"issue_date" date NOT NULL,
	"due_date" date NOT NULL,
	"return_date" date,
	"renewals" integer DEFAULT 0 NOT NULL,
	"issued_by" uuid,
	"returned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_loans_dates_check" CHECK ("library_loans"."due_date" >= "library_loans"."issue_date"),
	CONSTRAINT "library_loans_patron_check" CHECK ((patron_type = 'student' and student_id is not null and faculty_id is null and staff_id is null)
     or (patron_type = 'faculty' and faculty_id is not null and student_id is null and staff_id is null)
     or (patron_type = 'staff' and staff_id is not null and student_id is null and faculty_id is null))
);
--> statement-breakpoint
CREATE TABLE "library_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patron_type" "library_patron_type" NOT NULL,
	"loan_days" integer NOT NULL,
	"max_loans" integer NOT NULL,
	"max_renewals" integer NOT NULL,
	"fine_per_day_minor" bigint NOT NULL,
	"grace_days" integer NOT NULL,
	"max_fine_minor" bigint,
	"hold_pickup_days" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "library_rules_values_check" CHECK ("library_rules"."loan_days" > 0 and "library_rules"."max_loans" >= 0 and "library_rules"."max_renewals" >= 0 and "library_rules"."fine_per_day_minor" >= 0
          and "library_rules"."grace_days" >= 0 and ("library_rules"."max_fine_minor" is null or "library_rules"."max_fine_minor" >= 0)
          and "library_rules"."hold_pickup_days" > 0)
);
--> statement-breakpoint
CREATE TABLE "import_rows" (
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"natural_key" text,
	"action" "import_row_action" NOT NULL,
	"data" jsonb,
	"changed_fields" text[],
	"errors" jsonb,
	"target_id" uuid,
	CONSTRAINT "import_rows_import_id_row_number_pk" PRIMARY KEY("import_id","row_number")
);
--> statement-breakpoint
CREATE TABLE "imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"target" "import_target" NOT NULL,
	"mode" "import_mode" NOT NULL,
	"state" "import_state" DEFAULT 'validating' NOT NULL,
	"scope_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"file_format" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_size" integer NOT NULL,
	"file_key" text NOT NULL,
	"mapping" jsonb,
	"complete" boolean DEFAULT false NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_validated" integer DEFAULT 0 NOT NULL,
	"rows_invalid" integer DEFAULT 0 NOT NULL,
	"rows_written" integer DEFAULT 0 NOT NULL,
	"summary" jsonb,
	"failure" text,
	"created_by" uuid,
	"created_by_username" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "personnel" (
	"id" uuid PRIMARY KEY NOT NULL,
	"register_id" uuid NOT NULL,
	"service_number" text NOT NULL,
	"first_name" text NOT NULL,
	"middle_name" text,
	"last_name" text NOT NULL,
	"rank" text,
	"unit" text,
	"status" "personnel_status" DEFAULT 'active' NOT NULL,
	"status_date" date,
	"phone" text,
	"date_of_birth" date,
	"joining_date" date,
	"remarks" text,
	"created_by" uuid,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "personnel_registers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"short_code" text NOT NULL,
	"description" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "personnel_status_history" (
	"id" uuid PRIMARY KEY NOT NULL,
	"personnel_id" uuid NOT NULL,
	"register_id" uuid NOT NULL,
	"from_status" "personnel_status",
	"to_status" "personnel_status" NOT NULL,
	"status_date" date,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"changed_by" uuid,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "assessment_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"name" text NOT NULL,
	"weight" numeric(6, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_categories_weight_check" CHECK ("assessment_categories"."weight" >= 0)
);
--> statement-breakpoint
CREATE TABLE "assessment_marks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"marks" numeric(8, 2),
	"state" "mark_state" DEFAULT 'scored' NOT NULL,
	"comment" text,
	"graded_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_marks_state_check" CHECK (("assessment_marks"."state" = 'scored' and "assessment_marks"."marks" is not null and "assessment_marks"."marks" >= 0) or ("assessment_marks"."state" <> 'scored' and "assessment_marks"."marks" is null))
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"category_id" uuid,
	"academic_session_id" uuid,
	"name" text NOT NULL,
	"assessment_type" "assessment_type" NOT NULL,
	"max_marks" numeric(8, 2) NOT NULL,
	"weight" numeric(6, 2),
	"assessment_date" date,
	"description" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessments_max_marks_check" CHECK ("assessments"."max_marks" > 0),
	CONSTRAINT "assessments_weight_check" CHECK ("assessments"."weight" is null or "assessments"."weight" >= 0)
);
--> statement-breakpoint
CREATE TABLE "course_grading_scales" (
	"course_id" uuid PRIMARY KEY NOT NULL,
	"grading_scale_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grade_changes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"grade_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"old_value" jsonb NOT NULL,
	"new_value" jsonb NOT NULL,
	"reason" text NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grade_settings" (
	"organization_id" uuid PRIMARY KEY NOT NULL,
	"default_grading_scale_id" uuid,
	"repeat_policy" "grade_repeat_policy" DEFAULT 'best' NOT NULL,
	"honor_roll_min_gpa" numeric(5, 2) DEFAULT '3.50' NOT NULL,
	"honor_roll_min_credits" numeric(6, 1) DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grades" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"class_id" uuid NOT NULL,
	"enrollment_id" uuid,
	"course_id" uuid,
	"academic_session_id" uuid,
	"assessment_id" uuid,
	"grading_scale_id" uuid,
	"semester_no" integer,
	"attempt_type" "grade_attempt_type" DEFAULT 'regular' NOT NULL,
	"percent" numeric(7, 3),
	"letter" text NOT NULL,
	"grade_points" numeric(5, 2) NOT NULL,
	"is_passing" boolean NOT NULL,
	"credits_attempted" numeric(5, 1) NOT NULL,
	"credits_earned" numeric(5, 1) NOT NULL,
	"remarks" text,
	"status" "grade_status" DEFAULT 'draft' NOT NULL,
	"graded_by" uuid,
	"posted_by" uuid,
	"posted_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "grading_scales" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"bands" jsonb NOT NULL,
	"rounding_mode" "grade_rounding_mode" DEFAULT 'half_up' NOT NULL,
	"rounding_decimals" integer DEFAULT 2 NOT NULL,
	"count_failed_in_gpa" boolean DEFAULT true NOT NULL,
	"is_builtin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grading_scales_decimals_check" CHECK ("grading_scales"."rounding_decimals" between 0 and 4)
);
--> statement-breakpoint
CREATE TABLE "semester_results" (
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"academic_session_id" uuid NOT NULL,
	"sgpa" numeric(5, 2),
	"credits_attempted" numeric(6, 1) NOT NULL,
	"credits_earned" numeric(6, 1) NOT NULL,
	"quality_points" numeric(8, 2) NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "semester_results_student_id_academic_session_id_pk" PRIMARY KEY("student_id","academic_session_id")
);
--> statement-breakpoint
CREATE TABLE "transfer_grades" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"institution_name" text NOT NULL,
	"course_code" text,
	"course_title" text NOT NULL,
	"equivalent_course_id" uuid,
	"term_label" text,
	"credits" numeric(5, 1) NOT NULL,
	"letter" text NOT NULL,
	"grade_points" numeric(5, 2) NOT NULL,
	"is_passing" boolean DEFAULT true NOT NULL,
	"counts_in_gpa" boolean DEFAULT false NOT NULL,
	"completed_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_grades_credits_check" CHECK ("transfer_grades"."credits" >= 0)
);
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_hostel_id_hostels_id_fk" FOREIGN KEY ("hostel_id") REFERENCES "public"."hostels"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_room_id_hostel_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."hostel_rooms"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_transferred_from_id_hostel_allocations_id_fk" FOREIGN KEY ("transferred_from_id") REFERENCES "public"."hostel_allocations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_charge_entry_id_ledger_entries_id_fk" FOREIGN KEY ("charge_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_fees" ADD CONSTRAINT "hostel_fees_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_fees" ADD CONSTRAINT "hostel_fees_hostel_id_hostels_id_fk" FOREIGN KEY ("hostel_id") REFERENCES "public"."hostels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_fees" ADD CONSTRAINT "hostel_fees_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_rooms" ADD CONSTRAINT "hostel_rooms_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_rooms" ADD CONSTRAINT "hostel_rooms_hostel_id_hostels_id_fk" FOREIGN KEY ("hostel_id") REFERENCES "public"."hostels"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_settings" ADD CONSTRAINT "hostel_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostel_settings" ADD CONSTRAINT "hostel_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostels" ADD CONSTRAINT "hostels_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostels" ADD CONSTRAINT "hostels_warden_faculty_id_faculty_id_fk" FOREIGN KEY ("warden_faculty_id") REFERENCES "public"."faculty"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hostels" ADD CONSTRAINT "hostels_warden_staff_id_staff_id_fk" FOREIGN KEY ("warden_staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_books" ADD CONSTRAINT "library_books_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_books" ADD CONSTRAINT "library_books_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_copies" ADD CONSTRAINT "library_copies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_copies" ADD CONSTRAINT "library_copies_book_id_library_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."library_books"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_loan_id_library_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."library_loans"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_faculty_id_faculty_id_fk" FOREIGN KEY ("faculty_id") REFERENCES "public"."faculty"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_settled_by_users_id_fk" FOREIGN KEY ("settled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_book_id_library_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."library_books"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_faculty_id_faculty_id_fk" FOREIGN KEY ("faculty_id") REFERENCES "public"."faculty"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_copy_id_library_copies_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."library_copies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_loan_id_library_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."library_loans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_copy_id_library_copies_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."library_copies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_book_id_library_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."library_books"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_faculty_id_faculty_id_fk" FOREIGN KEY ("faculty_id") REFERENCES "public"."faculty"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_returned_by_users_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_rules" ADD CONSTRAINT "library_rules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_rules" ADD CONSTRAINT "library_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_import_id_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imports" ADD CONSTRAINT "imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel" ADD CONSTRAINT "personnel_register_id_personnel_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."personnel_registers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel" ADD CONSTRAINT "personnel_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_registers" ADD CONSTRAINT "personnel_registers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_registers" ADD CONSTRAINT "personnel_registers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_status_history" ADD CONSTRAINT "personnel_status_history_personnel_id_personnel_id_fk" FOREIGN KEY ("personnel_id") REFERENCES "public"."personnel"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_status_history" ADD CONSTRAINT "personnel_status_history_register_id_personnel_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."personnel_registers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personnel_status_history" ADD CONSTRAINT "personnel_status_history_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_categories" ADD CONSTRAINT "assessment_categories_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_categories" ADD CONSTRAINT "assessment_categories_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_graded_by_users_id_fk" FOREIGN KEY ("graded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_category_id_assessment_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."assessment_categories"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_academic_session_id_academic_sessions_id_fk" FOREIGN KEY ("academic_session_id") REFERENCES "public"."academic_sessions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_grading_scales" ADD CONSTRAINT "course_grading_scales_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_grading_scales" ADD CONSTRAINT "course_grading_scales_grading_scale_id_grading_scales_id_fk" FOREIGN KEY ("grading_scale_id") REFERENCES "public"."grading_scales"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_grading_scales" ADD CONSTRAINT "course_grading_scales_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_grade_id_grades_id_fk" FOREIGN KEY ("grade_id") REFERENCES "public"."grades"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_settings" ADD CONSTRAINT "grade_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_settings" ADD CONSTRAINT "grade_settings_default_grading_scale_id_grading_scales_id_fk" FOREIGN KEY ("default_grading_scale_id") REFERENCES "public"."grading_scales"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_academic_session_id_academic_sessions_id_fk" FOREIGN KEY ("academic_session_id") REFERENCES "public"."academic_sessions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_grading_scale_id_grading_scales_id_fk" FOREIGN KEY ("grading_scale_id") REFERENCES "public"."grading_scales"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_graded_by_users_id_fk" FOREIGN KEY ("graded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_posted_by_users_id_fk" FOREIGN KEY ("posted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grading_scales" ADD CONSTRAINT "grading_scales_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "semester_results" ADD CONSTRAINT "semester_results_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "semester_results" ADD CONSTRAINT "semester_results_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "semester_results" ADD CONSTRAINT "semester_results_academic_session_id_academic_sessions_id_fk" FOREIGN KEY ("academic_session_id") REFERENCES "public"."academic_sessions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_equivalent_course_id_courses_id_fk" FOREIGN KEY ("equivalent_course_id") REFERENCES "public"."courses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "documents_org_created_idx" ON "documents" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "documents_org_type_idx" ON "documents" USING btree ("organization_id","document_type");--> statement-breakpoint
CREATE INDEX "documents_uploader_idx" ON "documents" USING btree ("uploaded_by","created_at");--> statement-breakpoint
CREATE INDEX "documents_student_idx" ON "documents" USING btree ("student_id","created_at");--> statement-breakpoint
CREATE INDEX "documents_entity_idx" ON "documents" USING btree ("related_entity_type","related_entity_id");--> statement-breakpoint
CREATE INDEX "documents_tags_idx" ON "documents" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "documents_search_trgm_idx" ON "documents" USING gin ((lower("title" || ' ' || coalesce("description", '') || ' ' || "file_name")) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_allocations_student_active_uq" ON "hostel_allocations" USING btree ("student_id") WHERE "hostel_allocations"."status" = 'active';--> statement-breakpoint
CREATE INDEX "hostel_allocations_student_idx" ON "hostel_allocations" USING btree ("student_id","start_date","created_at");--> statement-breakpoint
CREATE INDEX "hostel_allocations_room_status_idx" ON "hostel_allocations" USING btree ("room_id","status");--> statement-breakpoint
CREATE INDEX "hostel_allocations_hostel_status_idx" ON "hostel_allocations" USING btree ("hostel_id","status");--> statement-breakpoint
CREATE INDEX "hostel_allocations_org_year_idx" ON "hostel_allocations" USING btree ("organization_id","academic_year","status");--> statement-breakpoint
CREATE INDEX "hostel_allocations_from_idx" ON "hostel_allocations" USING btree ("transferred_from_id");--> statement-breakpoint
CREATE INDEX "hostel_allocations_charge_idx" ON "hostel_allocations" USING btree ("charge_entry_id");--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_fees_hostel_year_type_uq" ON "hostel_fees" USING btree ("hostel_id","academic_year","room_type") WHERE "hostel_fees"."room_type" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_fees_hostel_year_uq" ON "hostel_fees" USING btree ("hostel_id","academic_year") WHERE "hostel_fees"."room_type" is null;--> statement-breakpoint
CREATE INDEX "hostel_fees_org_year_idx" ON "hostel_fees" USING btree ("organization_id","academic_year");--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_rooms_hostel_room_number_uq" ON "hostel_rooms" USING btree ("hostel_id",lower("room_number"));--> statement-breakpoint
CREATE INDEX "hostel_rooms_org_idx" ON "hostel_rooms" USING btree ("organization_id","room_type","room_status");--> statement-breakpoint
CREATE UNIQUE INDEX "hostels_org_name_uq" ON "hostels" USING btree ("organization_id",lower("name"));--> statement-breakpoint
CREATE INDEX "hostels_org_type_idx" ON "hostels" USING btree ("organization_id","hostel_type");--> statement-breakpoint
CREATE INDEX "hostels_warden_faculty_idx" ON "hostels" USING btree ("warden_faculty_id");--> statement-breakpoint
CREATE INDEX "hostels_warden_staff_idx" ON "hostels" USING btree ("warden_staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "library_books_org_isbn_uq" ON "library_books" USING btree ("organization_id","isbn") WHERE "library_books"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "library_books_org_title_idx" ON "library_books" USING btree ("organization_id","title","id") WHERE "library_books"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "library_books_org_category_idx" ON "library_books" USING btree ("organization_id","category","title") WHERE "library_books"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "library_books_department_idx" ON "library_books" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "library_books_search_trgm_idx" ON "library_books" USING gin ((lower("title" || ' ' || "author" || ' ' || coalesce("isbn", ''))) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "library_copies_org_barcode_uq" ON "library_copies" USING btree ("organization_id","barcode");--> statement-breakpoint
CREATE INDEX "library_copies_book_state_idx" ON "library_copies" USING btree ("book_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "library_fines_loan_uq" ON "library_fines" USING btree ("loan_id");--> statement-breakpoint
CREATE INDEX "library_fines_org_status_idx" ON "library_fines" USING btree ("organization_id","status","created_at");--> statement-breakpoint
CREATE INDEX "library_fines_student_idx" ON "library_fines" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "library_fines_faculty_idx" ON "library_fines" USING btree ("faculty_id");--> statement-breakpoint
CREATE INDEX "library_fines_staff_idx" ON "library_fines" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "library_holds_book_queue_idx" ON "library_holds" USING btree ("book_id","status","placed_at");--> statement-breakpoint
CREATE INDEX "library_holds_org_status_idx" ON "library_holds" USING btree ("organization_id","status","placed_at");--> statement-breakpoint
CREATE INDEX "library_holds_student_idx" ON "library_holds" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "library_holds_faculty_idx" ON "library_holds" USING btree ("faculty_id");--> statement-breakpoint
CREATE INDEX "library_holds_staff_idx" ON "library_holds" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "library_holds_copy_idx" ON "library_holds" USING btree ("copy_id");--> statement-breakpoint
CREATE UNIQUE INDEX "library_holds_open_patron_uq" ON "library_holds" USING btree ("book_id",coalesce("student_id", "faculty_id", "staff_id")) WHERE "library_holds"."status" in ('waiting', 'ready');--> statement-breakpoint
CREATE UNIQUE INDEX "library_loans_open_copy_uq" ON "library_loans" USING btree ("copy_id") WHERE "library_loans"."return_date" is null;--> statement-breakpoint
CREATE INDEX "library_loans_org_due_open_idx" ON "library_loans" USING btree ("organization_id","due_date") WHERE "library_loans"."return_date" is null;--> statement-breakpoint
CREATE INDEX "library_loans_org_issue_idx" ON "library_loans" USING btree ("organization_id","issue_date");--> statement-breakpoint
CREATE INDEX "library_loans_student_idx" ON "library_loans" USING btree ("student_id","return_date");--> statement-breakpoint
CREATE INDEX "library_loans_faculty_idx" ON "library_loans" USING btree ("faculty_id","return_date");--> statement-breakpoint
CREATE INDEX "library_loans_staff_idx" ON "library_loans" USING btree ("staff_id","return_date");--> statement-breakpoint
CREATE INDEX "library_loans_book_idx" ON "library_loans" USING btree ("book_id");--> statement-breakpoint
CREATE UNIQUE INDEX "library_rules_org_patron_uq" ON "library_rules" USING btree ("organization_id","patron_type");--> statement-breakpoint
CREATE INDEX "import_rows_action_idx" ON "import_rows" USING btree ("import_id","action","row_number");--> statement-breakpoint
CREATE INDEX "imports_org_created_idx" ON "imports" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "imports_created_by_idx" ON "imports" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "personnel_register_service_number_uq" ON "personnel" USING btree ("register_id","service_number") WHERE "personnel"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "personnel_register_name_idx" ON "personnel" USING btree ("register_id","last_name","first_name","id") WHERE "personnel"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "personnel_register_status_name_idx" ON "personnel" USING btree ("register_id","status","last_name","first_name","id") WHERE "personnel"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "personnel_name_idx" ON "personnel" USING btree ("last_name","first_name","id") WHERE "personnel"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "personnel_search_trgm_idx" ON "personnel" USING gin ((lower("first_name" || ' ' || coalesce("middle_name", '') || ' ' || "last_name" || ' ' || "service_number")) gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "personnel_registers_org_code_uq" ON "personnel_registers" USING btree ("organization_id","short_code");--> statement-breakpoint
CREATE INDEX "personnel_registers_org_name_idx" ON "personnel_registers" USING btree ("organization_id","name","id");--> statement-breakpoint
CREATE INDEX "personnel_status_history_person_idx" ON "personnel_status_history" USING btree ("personnel_id","changed_at");--> statement-breakpoint
CREATE INDEX "personnel_status_history_register_idx" ON "personnel_status_history" USING btree ("register_id","changed_at");--> statement-breakpoint
CREATE INDEX "personnel_status_history_changed_by_idx" ON "personnel_status_history" USING btree ("changed_by");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_categories_class_name_uq" ON "assessment_categories" USING btree ("class_id","name");--> statement-breakpoint
CREATE INDEX "assessment_categories_org_idx" ON "assessment_categories" USING btree ("organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_marks_assessment_student_uq" ON "assessment_marks" USING btree ("assessment_id","student_id");--> statement-breakpoint
CREATE INDEX "assessment_marks_student_idx" ON "assessment_marks" USING btree ("student_id","class_id");--> statement-breakpoint
CREATE INDEX "assessment_marks_class_idx" ON "assessment_marks" USING btree ("class_id");--> statement-breakpoint
CREATE INDEX "assessment_marks_graded_by_idx" ON "assessment_marks" USING btree ("graded_by");--> statement-breakpoint
CREATE INDEX "assessments_class_date_idx" ON "assessments" USING btree ("class_id","assessment_date");--> statement-breakpoint
CREATE INDEX "assessments_org_type_idx" ON "assessments" USING btree ("organization_id","assessment_type");--> statement-breakpoint
CREATE INDEX "assessments_category_idx" ON "assessments" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "assessments_session_idx" ON "assessments" USING btree ("academic_session_id");--> statement-breakpoint
CREATE INDEX "assessments_created_by_idx" ON "assessments" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "course_grading_scales_scale_idx" ON "course_grading_scales" USING btree ("grading_scale_id");--> statement-breakpoint
CREATE INDEX "grade_changes_org_idx" ON "grade_changes" USING btree ("organization_id","changed_at");--> statement-breakpoint
CREATE INDEX "grade_changes_grade_idx" ON "grade_changes" USING btree ("grade_id","changed_at");--> statement-breakpoint
CREATE INDEX "grade_changes_student_idx" ON "grade_changes" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "grade_changes_changed_by_idx" ON "grade_changes" USING btree ("changed_by");--> statement-breakpoint
CREATE UNIQUE INDEX "grades_student_class_attempt_uq" ON "grades" USING btree ("student_id","class_id","attempt_type");--> statement-breakpoint
CREATE INDEX "grades_class_status_idx" ON "grades" USING btree ("class_id","status");--> statement-breakpoint
CREATE INDEX "grades_student_status_idx" ON "grades" USING btree ("student_id","status");--> statement-breakpoint
CREATE INDEX "grades_session_idx" ON "grades" USING btree ("academic_session_id","status");--> statement-breakpoint
CREATE INDEX "grades_course_idx" ON "grades" USING btree ("course_id");--> statement-breakpoint
CREATE INDEX "grades_enrollment_idx" ON "grades" USING btree ("enrollment_id");--> statement-breakpoint
CREATE INDEX "grades_assessment_idx" ON "grades" USING btree ("assessment_id");--> statement-breakpoint
CREATE INDEX "grades_scale_idx" ON "grades" USING btree ("grading_scale_id");--> statement-breakpoint
CREATE INDEX "grades_org_idx" ON "grades" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "grading_scales_org_code_uq" ON "grading_scales" USING btree ("organization_id","code");--> statement-breakpoint
CREATE INDEX "semester_results_session_idx" ON "semester_results" USING btree ("academic_session_id","sgpa");--> statement-breakpoint
CREATE INDEX "semester_results_org_idx" ON "semester_results" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "transfer_grades_student_idx" ON "transfer_grades" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "transfer_grades_org_idx" ON "transfer_grades" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "transfer_grades_course_idx" ON "transfer_grades" USING btree ("equivalent_course_id");--> statement-breakpoint
CREATE INDEX "transfer_grades_created_by_idx" ON "transfer_grades" USING btree ("created_by");
--> statement-breakpoint
-- from src/modules/grades/grades.custom.sql
-- Built-in grading scales, shared by every organization (organization_id null). Fixed ids, so a course
-- override or a setting can name them in every database.
INSERT INTO grading_scales (id, organization_id, code, name, bands, rounding_mode, rounding_decimals, count_failed_in_gpa, is_builtin) VALUES
('00000000-0000-7000-8000-00000000a001', NULL, 'ten_point', '10-point scale (O, A+, A, B+, B, C, P, F)',
 '[{"letter":"O","min_percent":90,"grade_points":10,"is_passing":true},{"letter":"A+","min_percent":80,"grade_points":9,"is_passing":true},{"letter":"A","min_percent":70,"grade_points":8,"is_passing":true},{"letter":"B+","min_percent":60,"grade_points":7,"is_passing":true},{"letter":"B","min_percent":50,"grade_points":6,"is_passing":true},{"letter":"C","min_percent":45,"grade_points":5,"is_passing":true},{"letter":"P","min_percent":40,"grade_points":4,"is_passing":true},{"letter":"F","min_percent":0,"grade_points":0,"is_passing":false}]'::jsonb,
 'half_up', 0, true, true),
('00000000-0000-7000-8000-00000000a002', NULL, 'us_4_0', 'US 4.0 letters with plus and minus',
 '[{"letter":"A+","min_percent":97,"grade_points":4.0,"is_passing":true},{"letter":"A","min_percent":93,"grade_points":4.0,"is_passing":true},{"letter":"A-","min_percent":90,"grade_points":3.7,"is_passing":true},{"letter":"B+","min_percent":87,"grade_points":3.3,"is_passing":true},{"letter":"B","min_percent":83,"grade_points":3.0,"is_passing":true},{"letter":"B-","min_percent":80,"grade_points":2.7,"is_passing":true},{"letter":"C+","min_percent":77,"grade_points":2.3,"is_passing":true},{"letter":"C","min_percent":73,"grade_points":2.0,"is_passing":true},{"letter":"C-","min_percent":70,"grade_points":1.7,"is_passing":true},{"letter":"D+","min_percent":67,"grade_points":1.3,"is_passing":true},{"letter":"D","min_percent":63,"grade_points":1.0,"is_passing":true},{"letter":"D-","min_percent":60,"grade_points":0.7,"is_passing":true},{"letter":"F","min_percent":0,"grade_points":0,"is_passing":false}]'::jsonb,
 'half_up', 0, true, true),
('00000000-0000-7000-8000-00000000a003', NULL, 'percentage', 'Plain percentage (pass at 50 %)',
 '[{"letter":"P","min_percent":50,"grade_points":0,"is_passing":true},{"letter":"F","min_percent":0,"grade_points":0,"is_passing":false}]'::jsonb,
 'half_up', 2, true, true)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The change log of posted grades is append-only: corrections are new changes, never edits of old ones.
CREATE OR REPLACE FUNCTION grade_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'grade_changes is append-only' USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER grade_changes_append_only BEFORE UPDATE OR DELETE ON grade_changes
  FOR EACH ROW EXECUTE FUNCTION grade_changes_append_only();
