ALTER TYPE "public"."role_name" ADD VALUE 'auditor';--> statement-breakpoint
CREATE TABLE "report_counters" (
	"organization_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"shard" smallint DEFAULT 0 NOT NULL,
	"value" numeric DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_counters_organization_id_metric_shard_pk" PRIMARY KEY("organization_id","metric","shard")
);
--> statement-breakpoint
CREATE TABLE "report_monthly" (
	"organization_id" uuid NOT NULL,
	"month" date NOT NULL,
	"metric" text NOT NULL,
	"currency" text DEFAULT '' NOT NULL,
	"shard" smallint DEFAULT 0 NOT NULL,
	"value" numeric DEFAULT '0' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "report_monthly_organization_id_month_metric_currency_shard_pk" PRIMARY KEY("organization_id","month","metric","currency","shard")
);
--> statement-breakpoint
ALTER TABLE "report_counters" ADD CONSTRAINT "report_counters_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_monthly" ADD CONSTRAINT "report_monthly_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_org_occurred_idx" ON "ledger_entries" USING btree ("organization_id","occurred_at");--> statement-breakpoint
-- Maintained summaries for the dashboards, the trends and the district view (report_counters,
-- report_monthly). One generic statement-level trigger function applies the net change of each INSERT,
-- UPDATE and DELETE of a fact table as ONE set-based upsert, in the statement that changed the rows (like
-- the attendance tallies of migration 0006). Each trigger passes:
--   TG_ARGV[0]  'counters' or 'monthly' (the summary table written)
--   TG_ARGV[1]  a SELECT over the transition table %1$s giving, per row, the organization (org), the metric,
--               for monthly also month and currency, and the row's contribution v multiplied by the sign %2$s
--               (1 for new rows, -1 for old rows). An UPDATE contributes new minus old, so a change that
--               does not move a row in or out of a metric writes nothing.
-- Counters are split over 4 shards chosen by transaction id, so concurrent writers of one school rarely
-- wait on the same row; readers sum the shards. Rows are upserted in key order.
-- The upsert of the summed contributions of `src` into the target table. It returns the statement for the
-- caller to EXECUTE: transition tables are visible only to the trigger function's own queries.
CREATE OR REPLACE FUNCTION report_tally_sql(target text, src text, shard smallint) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF target = 'counters' THEN
    RETURN format($q$
      INSERT INTO report_counters AS c (organization_id, metric, shard, value)
      SELECT org, metric, %s, sum(v) FROM (%s) d WHERE org IS NOT NULL
       GROUP BY org, metric HAVING sum(v) <> 0 ORDER BY org, metric
      ON CONFLICT (organization_id, metric, shard) DO UPDATE
        SET value = c.value + excluded.value, updated_at = now()$q$, shard, src);
  END IF;
  RETURN format($q$
      INSERT INTO report_monthly AS c (organization_id, month, metric, currency, shard, value)
      SELECT org, month, metric, currency, %s, sum(v) FROM (%s) d WHERE org IS NOT NULL
       GROUP BY org, month, metric, currency HAVING sum(v) <> 0 ORDER BY org, month, metric, currency
      ON CONFLICT (organization_id, month, metric, currency, shard) DO UPDATE
        SET value = c.value + excluded.value, updated_at = now()$q$, shard, src);
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION report_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  parts text[] := '{}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN parts := parts || format(TG_ARGV[1], 'new_rows', '1'); END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN parts := parts || format(TG_ARGV[1], 'old_rows', '-1'); END IF;
  EXECUTE report_tally_sql(TG_ARGV[0], array_to_string(parts, ' UNION ALL '), (txid_current() % 4)::smallint);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- report_tally_triggers(table, name, target, select): the three statement-level triggers of one summary.
CREATE OR REPLACE FUNCTION report_tally_triggers(tbl text, name text, target text, q text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                 'FOR EACH STATEMENT EXECUTE FUNCTION report_tally(%L, %L)', name || '_ins', tbl, target, q);
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                 'FOR EACH STATEMENT EXECUTE FUNCTION report_tally(%L, %L)', name || '_upd', tbl, target, q);
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                 'FOR EACH STATEMENT EXECUTE FUNCTION report_tally(%L, %L)', name || '_del', tbl, target, q);
END;
$$;
--> statement-breakpoint
SELECT report_tally_triggers('students', 'report_students', 'counters',
  $t$SELECT organization_id AS org, 'students'::text AS metric, %2$s::numeric AS v FROM %1$s WHERE deleted_at IS NULL$t$);
--> statement-breakpoint
SELECT report_tally_triggers('faculty', 'report_faculty', 'counters',
  $t$SELECT organization_id AS org, 'faculty'::text AS metric, %2$s::numeric AS v FROM %1$s WHERE deleted_at IS NULL$t$);
--> statement-breakpoint
SELECT report_tally_triggers('departments', 'report_departments', 'counters',
  $t$SELECT organization_id AS org, 'departments'::text AS metric, %2$s::numeric AS v FROM %1$s$t$);
--> statement-breakpoint
SELECT report_tally_triggers('programs', 'report_programs', 'counters',
  $t$SELECT organization_id AS org, 'programs'::text AS metric, %2$s::numeric AS v FROM %1$s$t$);
--> statement-breakpoint
SELECT report_tally_triggers('courses', 'report_courses', 'counters',
  $t$SELECT organization_id AS org, 'courses'::text AS metric, %2$s::numeric AS v FROM %1$s$t$);
--> statement-breakpoint
SELECT report_tally_triggers('library_books', 'report_books', 'counters',
  $t$SELECT organization_id AS org, 'books'::text AS metric, %2$s::numeric AS v FROM %1$s WHERE deleted_at IS NULL$t$);
--> statement-breakpoint
SELECT report_tally_triggers('enrollments', 'report_enrollments', 'counters',
  $t$SELECT organization_id AS org, 'active_enrollments'::text AS metric, %2$s::numeric AS v FROM %1$s WHERE status = 'enrolled'$t$);
--> statement-breakpoint
SELECT report_tally_triggers('enrollments', 'report_enrollments_monthly', 'monthly',
  $t$SELECT organization_id AS org, date_trunc('month', enrolled_at AT TIME ZONE 'UTC')::date AS month,
            'enrollments'::text AS metric, ''::text AS currency, %2$s::numeric AS v FROM %1$s$t$);
--> statement-breakpoint
SELECT report_tally_triggers('hostel_rooms', 'report_hostel_rooms', 'counters',
  $t$SELECT organization_id AS org, 'hostel_beds'::text AS metric, %2$s::numeric * capacity AS v FROM %1$s
      WHERE is_active AND room_status <> 'closed'$t$);
--> statement-breakpoint
SELECT report_tally_triggers('hostel_allocations', 'report_hostel_allocations', 'counters',
  $t$SELECT organization_id AS org, 'hostel_occupied'::text AS metric, %2$s::numeric AS v FROM %1$s WHERE status = 'active'$t$);
--> statement-breakpoint
SELECT report_tally_triggers('attendance_records', 'report_attendance', 'counters',
  $t$SELECT organization_id AS org, m.metric, %2$s::numeric AS v FROM %1$s
       CROSS JOIN LATERAL (VALUES ('attended'::text, status IN ('present', 'late')),
                                  ('counted'::text, status <> 'excused')) m(metric, counts)
      WHERE m.counts$t$);
--> statement-breakpoint
SELECT report_tally_triggers('attendance_records', 'report_attendance_monthly', 'monthly',
  $t$SELECT organization_id AS org, date_trunc('month', attendance_date)::date AS month, m.metric,
            ''::text AS currency, %2$s::numeric AS v FROM %1$s
       CROSS JOIN LATERAL (VALUES ('attended'::text, status IN ('present', 'late')),
                                  ('counted'::text, status <> 'excused')) m(metric, counts)
      WHERE m.counts$t$);
--> statement-breakpoint
SELECT report_tally_triggers('grades', 'report_grades', 'counters',
  $t$SELECT organization_id AS org, m.metric, %2$s::numeric * m.v AS v FROM %1$s
       CROSS JOIN LATERAL (VALUES ('marks_sum'::text, percent), ('marks_n'::text, 1::numeric)) m(metric, v)
      WHERE status = 'posted' AND percent IS NOT NULL$t$);
--> statement-breakpoint
SELECT report_tally_triggers('ledger_entries', 'report_fees_monthly', 'monthly',
  $t$SELECT organization_id AS org, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month,
            CASE entry_type WHEN 'payment' THEN 'fees_paid' ELSE 'fees_refunded' END AS metric,
            currency, %2$s::numeric * abs(amount_minor) AS v FROM %1$s
      WHERE entry_type IN ('payment', 'refund')$t$);
--> statement-breakpoint
-- Users homed in each organization (users are deactivated, never deleted, so every user counts from its
-- creation on, as the office dashboard counts them) and users created per month, for its previous month.
SELECT report_tally_triggers('users', 'report_users', 'counters',
  $t$SELECT organization_id AS org, 'users'::text AS metric, %2$s::numeric AS v FROM %1$s$t$);
--> statement-breakpoint
SELECT report_tally_triggers('users', 'report_users_monthly', 'monthly',
  $t$SELECT organization_id AS org, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month,
            'users_created'::text AS metric, ''::text AS currency, %2$s::numeric AS v FROM %1$s$t$);
--> statement-breakpoint
-- Only the migration creates triggers; the running system needs report_tally and report_tally_sql.
DROP FUNCTION report_tally_triggers(text, text, text, text);
--> statement-breakpoint
-- Recomputes both summaries from the fact tables through the SELECTs the triggers carry (their arguments),
-- so the backfill can never disagree with the triggers. The migration runs it once below; bulk loads that
-- bypass triggers (session_replication_role = replica, as bench:data does) run it afterwards.
CREATE OR REPLACE FUNCTION report_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  DELETE FROM report_counters;
  DELETE FROM report_monthly;
  FOR t IN SELECT tgrelid::regclass::text AS tbl,
                  split_part(encode(tgargs, 'escape'), '\000', 1) AS target,
                  split_part(encode(tgargs, 'escape'), '\000', 2) AS q
             FROM pg_trigger
            WHERE tgfoid = 'report_tally'::regproc AND tgname LIKE '%\_ins'
            ORDER BY tgname LOOP
    EXECUTE report_tally_sql(t.target, format(t.q, t.tbl, '1'), 0::smallint);
  END LOOP;
END;
$$;
--> statement-breakpoint
-- Existing rows. The triggers above already hold each table's SHARE ROW EXCLUSIVE lock, which holds back
-- writers until this migration commits, so the backfill sees every committed row and misses none.
SELECT report_rebuild();
