CREATE TYPE "public"."assessment_type" AS ENUM('quiz', 'assignment', 'midterm', 'final', 'exam', 'project', 'practical');
--> statement-breakpoint
CREATE TYPE "public"."grade_attempt_type" AS ENUM('regular', 'repeat', 'improvement', 'supplementary');
--> statement-breakpoint
CREATE TYPE "public"."grade_status" AS ENUM('draft', 'posted');
--> statement-breakpoint
CREATE TYPE "public"."mark_state" AS ENUM('scored', 'missing', 'excused', 'absent');
--> statement-breakpoint
CREATE TYPE "public"."grade_repeat_policy" AS ENUM('best', 'latest');
--> statement-breakpoint
CREATE TYPE "public"."grade_rounding_mode" AS ENUM('half_up', 'half_even', 'floor', 'ceil');
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
ALTER TABLE "assessment_categories" ADD CONSTRAINT "assessment_categories_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_categories" ADD CONSTRAINT "assessment_categories_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessment_marks" ADD CONSTRAINT "assessment_marks_graded_by_users_id_fk" FOREIGN KEY ("graded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_category_id_assessment_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."assessment_categories"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_academic_session_id_academic_sessions_id_fk" FOREIGN KEY ("academic_session_id") REFERENCES "public"."academic_sessions"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "course_grading_scales" ADD CONSTRAINT "course_grading_scales_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "course_grading_scales" ADD CONSTRAINT "course_grading_scales_grading_scale_id_grading_scales_id_fk" FOREIGN KEY ("grading_scale_id") REFERENCES "public"."grading_scales"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "course_grading_scales" ADD CONSTRAINT "course_grading_scales_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_grade_id_grades_id_fk" FOREIGN KEY ("grade_id") REFERENCES "public"."grades"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grade_settings" ADD CONSTRAINT "grade_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grade_settings" ADD CONSTRAINT "grade_settings_default_grading_scale_id_grading_scales_id_fk" FOREIGN KEY ("default_grading_scale_id") REFERENCES "public"."grading_scales"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_academic_session_id_academic_sessions_id_fk" FOREIGN KEY ("academic_session_id") REFERENCES "public"."academic_sessions"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_grading_scale_id_grading_scales_id_fk" FOREIGN KEY ("grading_scale_id") REFERENCES "public"."grading_scales"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_graded_by_users_id_fk" FOREIGN KEY ("graded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_posted_by_users_id_fk" FOREIGN KEY ("posted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "grading_scales" ADD CONSTRAINT "grading_scales_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "semester_results" ADD CONSTRAINT "semester_results_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "semester_results" ADD CONSTRAINT "semester_results_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "semester_results" ADD CONSTRAINT "semester_results_academic_session_id_academic_sessions_id_fk" FOREIGN KEY ("academic_session_id") REFERENCES "public"."academic_sessions"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_equivalent_course_id_courses_id_fk" FOREIGN KEY ("equivalent_course_id") REFERENCES "public"."courses"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "transfer_grades" ADD CONSTRAINT "transfer_grades_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_categories_class_name_uq" ON "assessment_categories" USING btree ("class_id","name");
--> statement-breakpoint
CREATE INDEX "assessment_categories_org_idx" ON "assessment_categories" USING btree ("organization_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_marks_assessment_student_uq" ON "assessment_marks" USING btree ("assessment_id","student_id");
--> statement-breakpoint
CREATE INDEX "assessment_marks_student_idx" ON "assessment_marks" USING btree ("student_id","class_id");
--> statement-breakpoint
CREATE INDEX "assessment_marks_class_idx" ON "assessment_marks" USING btree ("class_id");
--> statement-breakpoint
CREATE INDEX "assessment_marks_graded_by_idx" ON "assessment_marks" USING btree ("graded_by");
--> statement-breakpoint
CREATE INDEX "assessments_class_date_idx" ON "assessments" USING btree ("class_id","assessment_date");
--> statement-breakpoint
CREATE INDEX "assessments_org_type_idx" ON "assessments" USING btree ("organization_id","assessment_type");
--> statement-breakpoint
CREATE INDEX "assessments_category_idx" ON "assessments" USING btree ("category_id");
--> statement-breakpoint
CREATE INDEX "assessments_session_idx" ON "assessments" USING btree ("academic_session_id");
--> statement-breakpoint
CREATE INDEX "assessments_created_by_idx" ON "assessments" USING btree ("created_by");
--> statement-breakpoint
CREATE INDEX "course_grading_scales_scale_idx" ON "course_grading_scales" USING btree ("grading_scale_id");
--> statement-breakpoint
CREATE INDEX "grade_changes_org_idx" ON "grade_changes" USING btree ("organization_id","changed_at");
--> statement-breakpoint
CREATE INDEX "grade_changes_grade_idx" ON "grade_changes" USING btree ("grade_id","changed_at");
--> statement-breakpoint
CREATE INDEX "grade_changes_student_idx" ON "grade_changes" USING btree ("student_id");
--> statement-breakpoint
CREATE INDEX "grade_changes_changed_by_idx" ON "grade_changes" USING btree ("changed_by");
--> statement-breakpoint
CREATE UNIQUE INDEX "grades_student_class_attempt_uq" ON "grades" USING btree ("student_id","class_id","attempt_type");
--> statement-breakpoint
CREATE INDEX "grades_class_status_idx" ON "grades" USING btree ("class_id","status");
--> statement-breakpoint
CREATE INDEX "grades_student_status_idx" ON "grades" USING btree ("student_id","status");
--> statement-breakpoint
CREATE INDEX "grades_session_idx" ON "grades" USING btree ("academic_session_id","status");
--> statement-breakpoint
CREATE INDEX "grades_course_idx" ON "grades" USING btree ("course_id");
--> statement-breakpoint
CREATE INDEX "grades_enrollment_idx" ON "grades" USING btree ("enrollment_id");
--> statement-breakpoint
CREATE INDEX "grades_assessment_idx" ON "grades" USING btree ("assessment_id");
--> statement-breakpoint
CREATE INDEX "grades_scale_idx" ON "grades" USING btree ("grading_scale_id");
--> statement-breakpoint
CREATE INDEX "grades_org_idx" ON "grades" USING btree ("organization_id","created_at");
--> statement-breakpoint
CREATE UNIQUE INDEX "grading_scales_org_code_uq" ON "grading_scales" USING btree ("organization_id","code");
--> statement-breakpoint
CREATE INDEX "semester_results_session_idx" ON "semester_results" USING btree ("academic_session_id","sgpa");
--> statement-breakpoint
CREATE INDEX "semester_results_org_idx" ON "semester_results" USING btree ("organization_id");
--> statement-breakpoint
CREATE INDEX "transfer_grades_student_idx" ON "transfer_grades" USING btree ("student_id");
--> statement-breakpoint
CREATE INDEX "transfer_grades_org_idx" ON "transfer_grades" USING btree ("organization_id","created_at");
--> statement-breakpoint
CREATE INDEX "transfer_grades_course_idx" ON "transfer_grades" USING btree ("equivalent_course_id");
--> statement-breakpoint
CREATE INDEX "transfer_grades_created_by_idx" ON "transfer_grades" USING btree ("created_by");
--> statement-breakpoint
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
