CREATE TABLE "oneroster_user_counts" (
	"organization_id" uuid NOT NULL,
	"role" text NOT NULL,
	"live" boolean NOT NULL,
	"shard" smallint DEFAULT 0 NOT NULL,
	"value" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "oneroster_user_counts_organization_id_role_live_shard_pk" PRIMARY KEY("organization_id","role","live","shard")
);
--> statement-breakpoint
ALTER TABLE "oneroster_user_counts" ADD CONSTRAINT "oneroster_user_counts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
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
