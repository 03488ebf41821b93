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

--> statement-breakpoint
-- OneRoster user counts (migration 0023): people per organization, role and live (status active) or not,
-- for the X-Total-Count of users pages without a filter other than status (docs/oneroster.md). One
-- statement-level trigger function applies the net change of each INSERT, UPDATE and DELETE of students,
-- faculty and guardians as ONE set-based upsert (the pattern of the dashboards' report_counters). TG_ARGV[0]
-- is a SELECT over the transition table %1$s giving, per row, org, role, live and v = the sign %2$s.
-- Hard deletions leave tombstones, which the reader counts itself (they are few and scoped by org_path).
CREATE OR REPLACE FUNCTION oneroster_count_sql(src text, shard smallint) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN format($q$
    INSERT INTO oneroster_user_counts AS c (organization_id, role, live, shard, value)
    SELECT org, role, live, %s, sum(v) FROM (%s) d WHERE org IS NOT NULL
     GROUP BY org, role, live HAVING sum(v) <> 0 ORDER BY org, role, live
    ON CONFLICT (organization_id, role, live, shard) DO UPDATE SET value = c.value + excluded.value$q$,
    shard, src);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION oneroster_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parts text[] := '{}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN parts := parts || format(TG_ARGV[0], 'new_rows', '1'); END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN parts := parts || format(TG_ARGV[0], 'old_rows', '-1'); END IF;
  EXECUTE oneroster_count_sql(array_to_string(parts, ' UNION ALL '), (txid_current() % 4)::smallint);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER oneroster_count_ins AFTER INSERT ON students REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'student'::text AS role, deleted_at IS NULL AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_upd AFTER UPDATE ON students REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'student'::text AS role, deleted_at IS NULL AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_del AFTER DELETE ON students REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'student'::text AS role, deleted_at IS NULL AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_ins AFTER INSERT ON faculty REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'teacher'::text AS role, deleted_at IS NULL AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_upd AFTER UPDATE ON faculty REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'teacher'::text AS role, deleted_at IS NULL AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_del AFTER DELETE ON faculty REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'teacher'::text AS role, deleted_at IS NULL AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_ins AFTER INSERT ON guardians REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'parent'::text AS role, true AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_upd AFTER UPDATE ON guardians REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'parent'::text AS role, true AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
CREATE TRIGGER oneroster_count_del AFTER DELETE ON guardians REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION oneroster_count(
    $t$SELECT organization_id AS org, 'parent'::text AS role, true AS live, %2$s::bigint AS v FROM %1$s$t$);
--> statement-breakpoint
-- Recomputes the counts from the tables through the SELECTs the triggers carry, so the backfill can never
-- disagree with the triggers. The migration runs it once below; bulk loads that bypass triggers
-- (session_replication_role = replica, as bench:data does) run it afterwards.
CREATE OR REPLACE FUNCTION oneroster_count_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  DELETE FROM oneroster_user_counts;
  FOR t IN SELECT tgrelid::regclass::text AS tbl, split_part(encode(tgargs, 'escape'), '\000', 1) AS q
             FROM pg_trigger
            WHERE tgfoid = 'oneroster_count'::regproc AND tgname = 'oneroster_count_ins'
            ORDER BY tbl LOOP
    EXECUTE oneroster_count_sql(format(t.q, t.tbl, '1'), 0::smallint);
  END LOOP;
END;
$$;
--> statement-breakpoint
-- Existing rows. The triggers above already hold each table's SHARE ROW EXCLUSIVE lock, which holds back
-- writers until this migration commits, so the backfill sees every committed row and misses none.
SELECT oneroster_count_rebuild();
