-- Built-in grading scales, shared by every organization (organization_id null). Fixed ids, so a course
-- override or a setting can name them in every database.
INSERT INTO grading_scales (id, organization_id, code, name, bands, rounding_mode, rounding_decimals, count_failed_in_gpa, is_builtin) VALUES
('00000000-0000-7000-8000-00000000a001', NULL, 'ten_point', '10-point scale (O, A+, A, B+, B, C, P, F)',
 '[{"letter":"O","min_percent":90,"grade_points":10,"is_passing":true},{"letter":"A+","min_percent":80,"grade_points":9,"is_passing":true},{"letter":"A","min_percent":70,"grade_points":8,"is_passing":true},{"letter":"B+","min_percent":60,"grade_points":7,"is_passing":true},{"letter":"B","min_percent":50,"grade_points":6,"is_passing":true},{"letter":"C","min_percent":45,"grade_points":5,"is_passing":true},{"letter":"P","min_percent":40,"grade_points":4,"is_passing":true},{"letter":"F","min_percent":0,"grade_points":0,"is_passing":false}]'::jsonb,
 'half_up', 0, true, true),
('00000000-0000-7000-8000-00000000a002', NULL, 'us_4_0', 'US 4.0 letters with plus and minus',
 '[{"letter":"A+","min_percent":97,"grade_points":4.0,"is_passing":true},{"letter":"A","min_percent":93,"grade_points":4.0,"is_passing":true},{"letter":"A-","min_percent":90,"grade_points":3.7,"is_passing":true},{"letter":"B+","min_percent":87,"grade_points":3.3,"is_passing":true},{"letter":"B","min_percent":83,"grade_points":3.0,"is_passing":true},{"letter":"B-","min_percent":80,"grade_points":2.7,"is_passing":true},{"letter":"C+","min_percent":77,"grade_points":2.3,"is_passing":true},{"letter":"C","min_percent":73,"grade_points":2.0,"is_passing":true},{"letter":"C-","min_percent":70,"grade_points":1.7,"is_passing":true},{"letter":"D+","min_percent":67,"grade_points":1.3,"is_passing":true},{"letter":"D","min_percent":63,"grade_points":1.0,"is_passing":true},{"letter":"D-","min_percent":60,"grade_points":0.7,"is_passing":true},{"letter":"F","min_percent":0,"grade_points":0,"is_passing":false}]'::jsonb,
 'half_up', 0, true, true),
('00000000-0000-7000-8000-00000000a003', NULL, 'percentage', 'Plain percentage (pass at 50 %)',
 '[{"letter":"P","min_percent":50,"grade_points":0,"is_passing":true},{"letter":"F","min_percent":0,"grade_points":0,"is_passing":false}]'::jsonb,
 'half_up', 2, true, true)
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- The change log of posted grades is append-only: corrections are new changes, never edits of old ones.
CREATE OR REPLACE FUNCTION grade_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'grade_changes is append-only' USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER grade_changes_append_only BEFORE UPDATE OR DELETE ON grade_changes
  FOR EACH ROW EXECUTE FUNCTION grade_changes_append_only();
