CREATE TYPE "public"."document_entity_type" AS ENUM('student', 'faculty', 'staff', 'class', 'organization');
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"uploaded_by" uuid,
	"title" text NOT NULL,
	"description" text,
	"document_type" text DEFAULT 'other' NOT NULL,
	"related_entity_type" "document_entity_type",
	"related_entity_id" uuid,
	"student_id" uuid,
	"is_public" boolean DEFAULT false NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);

--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "public"."students"("id") ON DELETE restrict ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "documents_org_created_idx" ON "documents" USING btree ("organization_id","created_at","id");
--> statement-breakpoint
CREATE INDEX "documents_org_type_idx" ON "documents" USING btree ("organization_id","document_type");
--> statement-breakpoint
CREATE INDEX "documents_uploader_idx" ON "documents" USING btree ("uploaded_by","created_at");
--> statement-breakpoint
CREATE INDEX "documents_student_idx" ON "documents" USING btree ("student_id","created_at");
--> statement-breakpoint
CREATE INDEX "documents_entity_idx" ON "documents" USING btree ("related_entity_type","related_entity_id");
--> statement-breakpoint
CREATE INDEX "documents_tags_idx" ON "documents" USING gin ("tags");
--> statement-breakpoint
CREATE INDEX "documents_search_trgm_idx" ON "documents" USING gin ((lower("title" || ' ' || coalesce("description", '') || ' ' || "file_name")) gin_trgm_ops);
