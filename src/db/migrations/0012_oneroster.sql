CREATE TABLE "api_clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"name" text NOT NULL,
	"scopes" text[] NOT NULL,
	"secret_hash" text NOT NULL,
	"credential_id" uuid NOT NULL,
	"service_user_id" uuid NOT NULL,
	"created_by" uuid,
	"last_token_at" timestamp with time zone,
	"rotated_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oneroster_tombstones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"entity" text NOT NULL,
	"sourced_id" uuid NOT NULL,
	"organization_id" uuid,
	"org_path" text NOT NULL,
	"detail" jsonb,
	"deleted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_service_user_id_users_id_fk" FOREIGN KEY ("service_user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_client_id_uq" ON "api_clients" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "api_clients_org_idx" ON "api_clients" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_service_user_uq" ON "api_clients" USING btree ("service_user_id");--> statement-breakpoint
CREATE INDEX "api_clients_created_by_idx" ON "api_clients" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "oneroster_tombstones_entity_time_idx" ON "oneroster_tombstones" USING btree ("entity","deleted_at");--> statement-breakpoint
CREATE INDEX "oneroster_tombstones_sourced_idx" ON "oneroster_tombstones" USING btree ("sourced_id");--> statement-breakpoint
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
