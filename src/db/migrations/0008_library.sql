CREATE TYPE "public"."library_copy_state" AS ENUM('available', 'on_loan', 'on_hold', 'lost', 'withdrawn');
--> statement-breakpoint
CREATE TYPE "public"."library_fine_status" AS ENUM('outstanding', 'paid');
--> statement-breakpoint
CREATE TYPE "public"."library_hold_status" AS ENUM('waiting', 'ready', 'fulfilled', 'cancelled');
--> statement-breakpoint
CREATE TYPE "public"."library_patron_type" AS ENUM('student', 'faculty', 'staff');
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
ALTER TABLE "library_books" ADD CONSTRAINT "library_books_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_books" ADD CONSTRAINT "library_books_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_copies" ADD CONSTRAINT "library_copies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_copies" ADD CONSTRAINT "library_copies_book_id_library_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."library_books"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_loan_id_library_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."library_loans"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_faculty_id_faculty_id_fk" FOREIGN KEY ("faculty_id") REFERENCES "public"."faculty"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_fines" ADD CONSTRAINT "library_fines_settled_by_users_id_fk" FOREIGN KEY ("settled_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_book_id_library_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."library_books"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_faculty_id_faculty_id_fk" FOREIGN KEY ("faculty_id") REFERENCES "public"."faculty"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_copy_id_library_copies_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."library_copies"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_loan_id_library_loans_id_fk" FOREIGN KEY ("loan_id") REFERENCES "public"."library_loans"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_holds" ADD CONSTRAINT "library_holds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_copy_id_library_copies_id_fk" FOREIGN KEY ("copy_id") REFERENCES "public"."library_copies"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_book_id_library_books_id_fk" FOREIGN KEY ("book_id") REFERENCES "public"."library_books"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_faculty_id_faculty_id_fk" FOREIGN KEY ("faculty_id") REFERENCES "public"."faculty"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_loans" ADD CONSTRAINT "library_loans_returned_by_users_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_rules" ADD CONSTRAINT "library_rules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "library_rules" ADD CONSTRAINT "library_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "library_books_org_isbn_uq" ON "library_books" USING btree ("organization_id","isbn") WHERE "library_books"."deleted_at" is null;
--> statement-breakpoint
CREATE INDEX "library_books_org_title_idx" ON "library_books" USING btree ("organization_id","title","id") WHERE "library_books"."deleted_at" is null;
--> statement-breakpoint
CREATE INDEX "library_books_org_category_idx" ON "library_books" USING btree ("organization_id","category","title") WHERE "library_books"."deleted_at" is null;
--> statement-breakpoint
CREATE INDEX "library_books_department_idx" ON "library_books" USING btree ("department_id");
--> statement-breakpoint
CREATE INDEX "library_books_search_trgm_idx" ON "library_books" USING gin ((lower("title" || ' ' || "author" || ' ' || coalesce("isbn", ''))) gin_trgm_ops);
--> statement-breakpoint
CREATE UNIQUE INDEX "library_copies_org_barcode_uq" ON "library_copies" USING btree ("organization_id","barcode");
--> statement-breakpoint
CREATE INDEX "library_copies_book_state_idx" ON "library_copies" USING btree ("book_id","state");
--> statement-breakpoint
CREATE UNIQUE INDEX "library_fines_loan_uq" ON "library_fines" USING btree ("loan_id");
--> statement-breakpoint
CREATE INDEX "library_fines_org_status_idx" ON "library_fines" USING btree ("organization_id","status","created_at");
--> statement-breakpoint
CREATE INDEX "library_fines_student_idx" ON "library_fines" USING btree ("student_id");
--> statement-breakpoint
CREATE INDEX "library_fines_faculty_idx" ON "library_fines" USING btree ("faculty_id");
--> statement-breakpoint
CREATE INDEX "library_fines_staff_idx" ON "library_fines" USING btree ("staff_id");
--> statement-breakpoint
CREATE INDEX "library_holds_book_queue_idx" ON "library_holds" USING btree ("book_id","status","placed_at");
--> statement-breakpoint
CREATE INDEX "library_holds_org_status_idx" ON "library_holds" USING btree ("organization_id","status","placed_at");
--> statement-breakpoint
CREATE INDEX "library_holds_student_idx" ON "library_holds" USING btree ("student_id");
--> statement-breakpoint
CREATE INDEX "library_holds_faculty_idx" ON "library_holds" USING btree ("faculty_id");
--> statement-breakpoint
CREATE INDEX "library_holds_staff_idx" ON "library_holds" USING btree ("staff_id");
--> statement-breakpoint
CREATE INDEX "library_holds_copy_idx" ON "library_holds" USING btree ("copy_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "library_holds_open_patron_uq" ON "library_holds" USING btree ("book_id",coalesce("student_id", "faculty_id", "staff_id")) WHERE "library_holds"."status" in ('waiting', 'ready');
--> statement-breakpoint
CREATE UNIQUE INDEX "library_loans_open_copy_uq" ON "library_loans" USING btree ("copy_id") WHERE "library_loans"."return_date" is null;
--> statement-breakpoint
CREATE INDEX "library_loans_org_due_open_idx" ON "library_loans" USING btree ("organization_id","due_date") WHERE "library_loans"."return_date" is null;
--> statement-breakpoint
CREATE INDEX "library_loans_org_issue_idx" ON "library_loans" USING btree ("organization_id","issue_date");
--> statement-breakpoint
CREATE INDEX "library_loans_student_idx" ON "library_loans" USING btree ("student_id","return_date");
--> statement-breakpoint
CREATE INDEX "library_loans_faculty_idx" ON "library_loans" USING btree ("faculty_id","return_date");
--> statement-breakpoint
CREATE INDEX "library_loans_staff_idx" ON "library_loans" USING btree ("staff_id","return_date");
--> statement-breakpoint
CREATE INDEX "library_loans_book_idx" ON "library_loans" USING btree ("book_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "library_rules_org_patron_uq" ON "library_rules" USING btree ("organization_id","patron_type");
