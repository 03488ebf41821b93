CREATE TABLE "attendance_tallies" (
	"class_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"present" integer DEFAULT 0 NOT NULL,
	"absent" integer DEFAULT 0 NOT NULL,
	"late" integer DEFAULT 0 NOT NULL,
	"excused" integer DEFAULT 0 NOT NULL,
	"percentage" numeric GENERATED ALWAYS AS (case when present + late + absent > 0 then 100.0 * (present + late) / (present + late + absent) end) STORED,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attendance_tallies_class_id_student_id_pk" PRIMARY KEY("class_id","student_id")
);
--> statement-breakpoint
ALTER TABLE "attendance_tallies" ADD CONSTRAINT "attendance_tallies_class_id_classes_id_fk" FOREIGN KEY ("class_id") REFERENCES "public"."classes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendance_tallies" ADD CONSTRAINT "attendance_tallies_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendance_tallies_student_idx" ON "attendance_tallies" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "attendance_tallies_org_pct_idx" ON "attendance_tallies" USING btree ("organization_id","percentage");