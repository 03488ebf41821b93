-- The class roster in name order, whatever the school's size (migration 0022): each enrollment carries a
-- copy of its student's last and first name, kept by these triggers (the application never writes them),
-- so GET /classes/{id}/students walks enrollments_roster_idx (class, status, names, id) and stops at the
-- page instead of joining and sorting every enrolled student.
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
