import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { hostelManageScope, hostelReadScope } from './hostels.policy.js';
import * as repo from './hostels.repo.js';
import type { CreateHostelT, HostelT, ListHostelsQueryT, UpdateHostelT } from './hostels.schemas.js';
import { hostels } from './hostels.table.js';

export function toHostel(r: repo.HostelRow): HostelT {
  const h = r.hostel;
  const warden = h.wardenFacultyId
    ? { kind: 'faculty' as const, id: h.wardenFacultyId, name: r.wardenFacultyName ?? '' }
    : h.wardenStaffId
      ? { kind: 'staff' as const, id: h.wardenStaffId, name: r.wardenStaffName ?? '' }
      : null;
  return {
    id: h.id,
    organization_id: h.organizationId,
    name: h.name,
    hostel_type: h.hostelType,
    warden_faculty_id: h.wardenFacultyId,
    warden_staff_id: h.wardenStaffId,
    warden,
    address: h.address,
    phone: h.phone,
    description: h.description,
    is_active: h.isActive,
    room_count: Number(r.roomCount),
    capacity: Number(r.capacity),
    occupied: Number(r.occupied),
    created_at: iso(h.createdAt) ?? '',
    updated_at: iso(h.updatedAt) ?? '',
  };
}

const readScope = (ctx: RequestContext) => hostelReadScope(ctx.actor, hostels.organizationId);
const manageScope = (ctx: RequestContext) => hostelManageScope(ctx.actor, hostels.organizationId);

/** Checks the warden fields: at most one, and a live member of the hostel's organization or an ancestor. */
async function checkWarden(
  db: DbOrTx,
  path: string,
  i: { warden_faculty_id?: string | null; warden_staff_id?: string | null },
) {
  if (i.warden_faculty_id && i.warden_staff_id) {
    throw badRequest('A hostel has one warden', [
      { field: 'warden_staff_id', message: 'give either warden_faculty_id or warden_staff_id, not both' },
    ]);
  }
  if (i.warden_faculty_id && !(await repo.wardenExists(db, 'faculty', i.warden_faculty_id, path))) {
    throw badRequest('Unknown warden', [
      { field: 'warden_faculty_id', message: 'is not a faculty member of this organization' },
    ]);
  }
  if (i.warden_staff_id && !(await repo.wardenExists(db, 'staff', i.warden_staff_id, path))) {
    throw badRequest('Unknown warden', [
      { field: 'warden_staff_id', message: 'is not a staff member of this organization' },
    ]);
  }
}

export async function createHostel(db: Db, ctx: RequestContext, i: CreateHostelT) {
  return withTx(db, async (tx) => {
    const org = await repo.orgPathInScope(
      tx,
      hostelManageScope(ctx.actor, repo.organizationIdColumn),
      i.organization_id,
    );
    if (!org) throw notFound('Organization');
    await checkWarden(tx, org.path, i);
    const row = await repo.insertHostel(tx, {
      organizationId: org.id,
      name: i.name,
      hostelType: i.hostel_type,
      wardenFacultyId: i.warden_faculty_id ?? null,
      wardenStaffId: i.warden_staff_id ?? null,
      address: i.address ?? null,
      phone: i.phone ?? null,
      description: i.description ?? null,
      isActive: i.is_active ?? true,
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'hostel',
      entityId: row.id,
      organizationId: org.id,
      after: row,
    });
    const out = await repo.findHostel(tx, manageScope(ctx), row.id);
    if (!out) throw notFound('Hostel');
    return toHostel(out);
  });
}

export async function updateHostel(db: Db, ctx: RequestContext, id: string, i: UpdateHostelT) {
  return withTx(db, async (tx) => {
    const before = await repo.lockHostel(tx, manageScope(ctx), id);
    if (!before) throw notFound('Hostel');
    const path = (await repo.orgPath(tx, before.organizationId)) ?? '';
    // Setting one kind of warden replaces the other.
    const wardenFacultyId =
      i.warden_faculty_id !== undefined
        ? i.warden_faculty_id
        : i.warden_staff_id
          ? null
          : before.wardenFacultyId;
    const wardenStaffId =
      i.warden_staff_id !== undefined ? i.warden_staff_id : i.warden_faculty_id ? null : before.wardenStaffId;
    await checkWarden(tx, path, { warden_faculty_id: wardenFacultyId, warden_staff_id: wardenStaffId });
    const values = {
      name: i.name ?? before.name,
      hostelType: i.hostel_type ?? before.hostelType,
      wardenFacultyId,
      wardenStaffId,
      address: i.address !== undefined ? i.address : before.address,
      phone: i.phone !== undefined ? i.phone : before.phone,
      description: i.description !== undefined ? i.description : before.description,
      isActive: i.is_active ?? before.isActive,
    };
    await repo.updateHostel(tx, id, values);
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'hostel',
      entityId: id,
      organizationId: before.organizationId,
      before,
      after: { ...before, ...values },
    });
    const out = await repo.findHostel(tx, manageScope(ctx), id);
    if (!out) throw notFound('Hostel');
    return toHostel(out);
  });
}

export async function getHostel(db: Db, ctx: RequestContext, id: string) {
  const row = await repo.findHostel(db, readScope(ctx), id);
  if (!row) throw notFound('Hostel');
  return toHostel(row);
}

export async function listHostels(db: Db, ctx: RequestContext, q: ListHostelsQueryT, w: PageWindow) {
  const { rows, total } = await repo.listHostels(
    db,
    readScope(ctx),
    { organizationId: q.organization_id, hostelType: q.hostel_type, isActive: q.is_active, search: q.search },
    w,
  );
  return page(rows.map(toHostel), total, w);
}
