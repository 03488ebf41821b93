-- The head of a department is a faculty member. academics (departments) may not depend on faculty, so the
-- foreign key is owned here: faculty → academics is the only direction between the two modules. The
-- constraint was created in 0001_init.sql and is kept by 0008_department_head_fk.sql (a no-op); this file
-- documents where it lives. On a fresh database it already exists, so this is not run again.
ALTER TABLE "departments" ADD CONSTRAINT "departments_head_faculty_id_faculty_id_fk" FOREIGN KEY ("head_faculty_id") REFERENCES "public"."faculty"("id") ON DELETE set null ON UPDATE no action;
