-- attendance_tallies holds, per (class, student), the count of each status over all of the student's records
-- in the class. Statement-level triggers with transition tables keep it exact: every INSERT, UPDATE (status,
-- class or student changed) and DELETE of attendance_records (including cascades from deleted sessions)
-- applies its net change as ONE set-based upsert, in the statement that wrote the records. Rows are taken
-- in (class_id, student_id) order so concurrent markings lock tally rows in the same order.
CREATE OR REPLACE FUNCTION attendance_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO attendance_tallies AS t (class_id, student_id, organization_id, present, absent, late, excused)
    SELECT class_id, student_id, (array_agg(organization_id))[1],
           count(*) FILTER (WHERE status = 'present'), count(*) FILTER (WHERE status = 'absent'),
           count(*) FILTER (WHERE status = 'late'), count(*) FILTER (WHERE status = 'excused')
      FROM new_rows GROUP BY class_id, student_id ORDER BY class_id, student_id
    ON CONFLICT (class_id, student_id) DO UPDATE
       SET present = t.present + excluded.present, absent = t.absent + excluded.absent,
           late = t.late + excluded.late, excused = t.excused + excluded.excused, updated_at = now();
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE attendance_tallies t
       SET present = t.present - d.present, absent = t.absent - d.absent, late = t.late - d.late,
           excused = t.excused - d.excused, updated_at = now()
      FROM (SELECT class_id, student_id,
                   count(*) FILTER (WHERE status = 'present') AS present,
                   count(*) FILTER (WHERE status = 'absent') AS absent,
                   count(*) FILTER (WHERE status = 'late') AS late,
                   count(*) FILTER (WHERE status = 'excused') AS excused
              FROM old_rows GROUP BY class_id, student_id) d
     WHERE t.class_id = d.class_id AND t.student_id = d.student_id;
  ELSE
    INSERT INTO attendance_tallies AS t (class_id, student_id, organization_id, present, absent, late, excused)
    SELECT class_id, student_id, organization_id, present, absent, late, excused
      FROM (SELECT class_id, student_id, (array_agg(organization_id))[1] AS organization_id,
                   coalesce(sum(n) FILTER (WHERE status = 'present'), 0) AS present,
                   coalesce(sum(n) FILTER (WHERE status = 'absent'), 0) AS absent,
                   coalesce(sum(n) FILTER (WHERE status = 'late'), 0) AS late,
                   coalesce(sum(n) FILTER (WHERE status = 'excused'), 0) AS excused
              FROM (SELECT class_id, student_id, organization_id, status, 1 AS n FROM new_rows
                    UNION ALL
                    SELECT class_id, student_id, organization_id, status, -1 AS n FROM old_rows) c
             GROUP BY class_id, student_id) d
     WHERE (present, absent, late, excused) <> (0, 0, 0, 0)
     ORDER BY class_id, student_id
    ON CONFLICT (class_id, student_id) DO UPDATE
       SET present = t.present + excluded.present, absent = t.absent + excluded.absent,
           late = t.late + excluded.late, excused = t.excused + excluded.excused, updated_at = now();
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER attendance_records_tally_ins AFTER INSERT ON attendance_records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_tally_apply();
--> statement-breakpoint
CREATE TRIGGER attendance_records_tally_upd AFTER UPDATE ON attendance_records
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_tally_apply();
--> statement-breakpoint
CREATE TRIGGER attendance_records_tally_del AFTER DELETE ON attendance_records
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION attendance_tally_apply();
--> statement-breakpoint
-- Existing records: the triggers above already hold the table lock that blocks concurrent writers until
-- this migration commits, so the backfill sees every committed record and misses none.
INSERT INTO attendance_tallies (class_id, student_id, organization_id, present, absent, late, excused)
SELECT class_id, student_id, (array_agg(organization_id))[1],
       count(*) FILTER (WHERE status = 'present'), count(*) FILTER (WHERE status = 'absent'),
       count(*) FILTER (WHERE status = 'late'), count(*) FILTER (WHERE status = 'excused')
  FROM attendance_records GROUP BY class_id, student_id;
