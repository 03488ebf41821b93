-- OneRoster tombstones: a hard DELETE of a roster record leaves a row the provider serves as
-- status 'tobedeleted' to delta syncs (see oneroster.table.ts and docs/oneroster.md).
CREATE OR REPLACE FUNCTION oneroster_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  org uuid;
  opath text;
  det jsonb := NULL;
BEGIN
  IF TG_TABLE_NAME = 'organizations' THEN
    org := OLD.id;
    opath := OLD.path;
    det := jsonb_build_object('kind', OLD.kind);
  ELSIF TG_TABLE_NAME = 'teaching_assignments' THEN
    SELECT c.organization_id INTO org FROM classes c WHERE c.id = OLD.class_id;
    IF org IS NULL THEN
      -- The class itself is being deleted (ON DELETE CASCADE): the teacher's organization scopes it.
      SELECT f.organization_id INTO org FROM faculty f WHERE f.id = OLD.faculty_id;
    END IF;
    det := jsonb_build_object('class_id', OLD.class_id, 'faculty_id', OLD.faculty_id);
  ELSE
    org := OLD.organization_id;
    IF TG_TABLE_NAME = 'academic_sessions' THEN
      det := jsonb_build_object('type', OLD.type);
    ELSIF TG_TABLE_NAME = 'enrollments' THEN
      det := jsonb_build_object('class_id', OLD.class_id, 'student_id', OLD.student_id);
    END IF;
  END IF;
  IF opath IS NULL THEN
    SELECT o.path INTO opath FROM organizations o WHERE o.id = org;
  END IF;
  INSERT INTO oneroster_tombstones (id, entity, sourced_id, organization_id, org_path, detail)
  VALUES (gen_random_uuid(), TG_ARGV[0], OLD.id, org, coalesce(opath, '/'), det);
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON organizations
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('org');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON academic_sessions
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('academicSession');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON courses
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('course');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON classes
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('class');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON students
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('student');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON faculty
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('teacher');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON guardians
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('guardian');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON enrollments
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('enrollment');
--> statement-breakpoint
CREATE TRIGGER oneroster_tombstone AFTER DELETE ON teaching_assignments
  FOR EACH ROW EXECUTE FUNCTION oneroster_tombstone('teaching');
