CREATE TYPE "public"."hostel_allocation_status" AS ENUM('active', 'vacated', 'transferred');
--> statement-breakpoint
CREATE TYPE "public"."hostel_room_status" AS ENUM('available', 'maintenance', 'closed');
--> statement-breakpoint
CREATE TYPE "public"."hostel_room_type" AS ENUM('single', 'double', 'triple', 'dormitory');
--> statement-breakpoint
CREATE TYPE "public"."hostel_type" AS ENUM('boys', 'girls', 'mixed', 'staff');
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
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_hostel_id_hostels_id_fk" FOREIGN KEY ("hostel_id") REFERENCES "public"."hostels"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_room_id_hostel_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."hostel_rooms"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_transferred_from_id_hostel_allocations_id_fk" FOREIGN KEY ("transferred_from_id") REFERENCES "public"."hostel_allocations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_charge_entry_id_ledger_entries_id_fk" FOREIGN KEY ("charge_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_allocations" ADD CONSTRAINT "hostel_allocations_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_fees" ADD CONSTRAINT "hostel_fees_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_fees" ADD CONSTRAINT "hostel_fees_hostel_id_hostels_id_fk" FOREIGN KEY ("hostel_id") REFERENCES "public"."hostels"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_fees" ADD CONSTRAINT "hostel_fees_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_rooms" ADD CONSTRAINT "hostel_rooms_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_rooms" ADD CONSTRAINT "hostel_rooms_hostel_id_hostels_id_fk" FOREIGN KEY ("hostel_id") REFERENCES "public"."hostels"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_settings" ADD CONSTRAINT "hostel_settings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostel_settings" ADD CONSTRAINT "hostel_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostels" ADD CONSTRAINT "hostels_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostels" ADD CONSTRAINT "hostels_warden_faculty_id_faculty_id_fk" FOREIGN KEY ("warden_faculty_id") REFERENCES "public"."faculty"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "hostels" ADD CONSTRAINT "hostels_warden_staff_id_staff_id_fk" FOREIGN KEY ("warden_staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_allocations_student_active_uq" ON "hostel_allocations" USING btree ("student_id") WHERE "hostel_allocations"."status" = 'active';
--> statement-breakpoint
CREATE INDEX "hostel_allocations_student_idx" ON "hostel_allocations" USING btree ("student_id","start_date","created_at");
--> statement-breakpoint
CREATE INDEX "hostel_allocations_room_status_idx" ON "hostel_allocations" USING btree ("room_id","status");
--> statement-breakpoint
CREATE INDEX "hostel_allocations_hostel_status_idx" ON "hostel_allocations" USING btree ("hostel_id","status");
--> statement-breakpoint
CREATE INDEX "hostel_allocations_org_year_idx" ON "hostel_allocations" USING btree ("organization_id","academic_year","status");
--> statement-breakpoint
CREATE INDEX "hostel_allocations_from_idx" ON "hostel_allocations" USING btree ("transferred_from_id");
--> statement-breakpoint
CREATE INDEX "hostel_allocations_charge_idx" ON "hostel_allocations" USING btree ("charge_entry_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_fees_hostel_year_type_uq" ON "hostel_fees" USING btree ("hostel_id","academic_year","room_type") WHERE "hostel_fees"."room_type" is not null;
--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_fees_hostel_year_uq" ON "hostel_fees" USING btree ("hostel_id","academic_year") WHERE "hostel_fees"."room_type" is null;
--> statement-breakpoint
CREATE INDEX "hostel_fees_org_year_idx" ON "hostel_fees" USING btree ("organization_id","academic_year");
--> statement-breakpoint
CREATE UNIQUE INDEX "hostel_rooms_hostel_room_number_uq" ON "hostel_rooms" USING btree ("hostel_id",lower("room_number"));
--> statement-breakpoint
CREATE INDEX "hostel_rooms_org_idx" ON "hostel_rooms" USING btree ("organization_id","room_type","room_status");
--> statement-breakpoint
CREATE UNIQUE INDEX "hostels_org_name_uq" ON "hostels" USING btree ("organization_id",lower("name"));
--> statement-breakpoint
CREATE INDEX "hostels_org_type_idx" ON "hostels" USING btree ("organization_id","hostel_type");
--> statement-breakpoint
CREATE INDEX "hostels_warden_faculty_idx" ON "hostels" USING btree ("warden_faculty_id");
--> statement-breakpoint
CREATE INDEX "hostels_warden_staff_idx" ON "hostels" USING btree ("warden_staff_id");
