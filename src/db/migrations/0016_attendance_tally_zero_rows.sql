-- Tally rows that reach zero are deleted (they made a tally-based per-class breakdown list a class whose
-- records were all deleted, with zero counts, where the record-based one omits it). Same function as 0006
-- with the cleanup at the end; existing zero rows are removed.
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
  -- A (class, student) pair whose records are all gone (deleted, or moved to another class or student) keeps
  -- no tally row: every report reads the tallies as "the pairs that have records", like the records do.
  IF TG_OP <> 'INSERT' THEN
    DELETE FROM attendance_tallies t
     USING (SELECT DISTINCT class_id, student_id FROM old_rows) o
     WHERE t.class_id = o.class_id AND t.student_id = o.student_id
       AND t.present = 0 AND t.absent = 0 AND t.late = 0 AND t.excused = 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DELETE FROM attendance_tallies WHERE present = 0 AND absent = 0 AND late = 0 AND excused = 0;
