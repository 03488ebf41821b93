ALTER TABLE "enrollments" ADD COLUMN "student_last_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "enrollments" ADD COLUMN "student_first_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Custom (src/modules/enrollments/enrollments.custom.sql): the existing rows get their names, then the index.
UPDATE "enrollments" e SET "student_last_name" = s."last_name", "student_first_name" = s."first_name"
  FROM "students" s WHERE s."id" = e."student_id";--> statement-breakpoint
CREATE INDEX "enrollments_roster_idx" ON "enrollments" USING btree ("class_id","status","student_last_name","student_first_name","id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION enrollments_student_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT s.last_name, s.first_name INTO NEW.student_last_name, NEW.student_first_name
    FROM students s WHERE s.id = NEW.student_id;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER enrollments_student_name BEFORE INSERT OR UPDATE OF student_id ON enrollments
  FOR EACH ROW EXECUTE FUNCTION enrollments_student_name();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION students_rename_enrollments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE enrollments e
     SET student_last_name = n.last_name, student_first_name = n.first_name
    FROM new_rows n JOIN old_rows o ON o.id = n.id
   WHERE e.student_id = n.id
     AND (n.last_name, n.first_name) IS DISTINCT FROM (o.last_name, o.first_name);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER students_rename_enrollments AFTER UPDATE ON students
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION students_rename_enrollments();
