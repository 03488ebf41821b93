CREATE TYPE "public"."import_mode" AS ENUM('dry_run', 'all_or_nothing', 'valid_only');--> statement-breakpoint
CREATE TYPE "public"."import_row_action" AS ENUM('create', 'update', 'unchanged', 'error');--> statement-breakpoint
CREATE TYPE "public"."import_state" AS ENUM('validating', 'validated', 'committing', 'committed', 'rejected', 'failed');--> statement-breakpoint
CREATE TYPE "public"."import_target" AS ENUM('personnel', 'students');--> statement-breakpoint
CREATE TYPE "public"."personnel_status" AS ENUM('active', 'inactive', 'awol', 'death', 'rtu', 'posted', 'cse');--> statement-breakpoint
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
CREATE INDEX "personnel_status_history_changed_by_idx" ON "personnel_status_history" USING btree ("changed_by");