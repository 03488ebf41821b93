import type { Db, DbOrTx } from '../../db/client.js';
import { recordAudit } from '../../kernel/audit.js';
import type { RequestContext } from '../../kernel/auth/actor.js';
import { badRequest, notFound } from '../../kernel/errors.js';
import { formatMinor, parseAmount } from '../../kernel/money.js';
import { type PageWindow, page } from '../../kernel/pagination.js';
import { iso } from '../../kernel/sql.js';
import { withTx } from '../../kernel/tx.js';
import { postCharge } from '../finance/index.js';
import { hostelManageScope } from './hostels.policy.js';
import * as repo from './hostels.repo.js';
import { hostelFees, type hostelRooms, hostels } from './hostels.table.js';
import * as arepo from './hostels-allocations.repo.js';
import type {
  CreateHostelFeeT,
  HostelFeeT,
  HostelSettingsT,
  ListFeesQueryT,
  PutHostelSettingsT,
} from './hostels-allocations.schemas.js';

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY) + 1;

/**
 * The fee owed for a stay starting on `start`: the whole fee, or — when pro-rating — the share of the
 * period's days from `start` to its end (inclusive), rounded half up to the minor unit. A stay starting
 * before the period pays the whole fee; one starting after it pays nothing.
 */
export function hostelCharge(
  amountMinor: number,
  period: { start: string; end: string },
  start: string,
  prorate: boolean,
): number {
  if (start > period.end) return 0;
  if (!prorate || start <= period.start) return amountMinor;
  const total = BigInt(days(period.start, period.end));
  const remaining = BigInt(days(start, period.end));
  return Number((BigInt(amountMinor) * remaining * 2n + total) / (2n * total));
}

function toFee(f: typeof hostelFees.$inferSelect): HostelFeeT {
  return {
    id: f.id,
    organization_id: f.organizationId,
    hostel_id: f.hostelId,
    room_type: f.roomType,
    academic_year: f.academicYear,
    amount: formatMinor(f.amountMinor, f.currency),
    currency: f.currency,
    period_start: f.periodStart,
    period_end: f.periodEnd,
    created_at: iso(f.createdAt) ?? '',
  };
}

export async function createFee(db: Db, ctx: RequestContext, i: CreateHostelFeeT) {
  if (i.period_end < i.period_start) {
    throw badRequest('The fee period ends before it starts', [
      { field: 'period_end', message: 'must be on or after period_start' },
    ]);
  }
  return withTx(db, async (tx) => {
    const hostel = await repo.findHostel(
      tx,
      hostelManageScope(ctx.actor, hostels.organizationId),
      i.hostel_id,
    );
    if (!hostel) throw notFound('Hostel');
    const [org] = await tx
      .execute<{ currency: string }>(repo.currencyOf(hostel.hostel.organizationId))
      .then((r) => r.rows);
    const currency = org?.currency ?? 'USD';
    const amountMinor = parseAmount(i.amount, currency);
    if (amountMinor <= 0)
      throw badRequest('The fee must be positive', [{ field: 'amount', message: 'must be > 0' }]);
    const row = await arepo.insertFee(tx, {
      organizationId: hostel.hostel.organizationId,
      hostelId: i.hostel_id,
      roomType: i.room_type ?? null,
      academicYear: i.academic_year,
      amountMinor,
      currency,
      periodStart: i.period_start,
      periodEnd: i.period_end,
      createdBy: ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      entityType: 'hostel_fee',
      entityId: row.id,
      organizationId: row.organizationId,
      after: row,
    });
    return toFee(row);
  });
}

export async function listFees(db: Db, ctx: RequestContext, q: ListFeesQueryT, w: PageWindow) {
  const { rows, total } = await arepo.listFees(
    db,
    hostelManageScope(ctx.actor, hostelFees.organizationId),
    { hostelId: q.hostel_id, academicYear: q.academic_year },
    w,
  );
  return page(rows.map(toFee), total, w);
}

/** Removes a fee; charges already posted stay on the ledgers (corrections are ledger entries). */
export async function deleteFee(db: Db, ctx: RequestContext, id: string) {
  await withTx(db, async (tx) => {
    const fee = await arepo.findFee(tx, hostelManageScope(ctx.actor, hostelFees.organizationId), id);
    if (!fee) throw notFound('Hostel fee');
    await arepo.deleteFee(tx, id);
    await recordAudit(tx, ctx, {
      action: 'delete',
      entityType: 'hostel_fee',
      entityId: id,
      organizationId: fee.organizationId,
      before: fee,
    });
  });
}

export async function getSettings(db: Db, ctx: RequestContext, orgId: string): Promise<HostelSettingsT> {
  const org = await repo.orgPathInScope(db, hostelManageScope(ctx.actor, repo.organizationIdColumn), orgId);
  if (!org) throw notFound('Organization');
  const s = await arepo.settingsFor(db, orgId);
  return {
    organization_id: orgId,
    prorate_fees: s?.prorate_fees ?? false,
    fee_due_days: s ? Number(s.fee_due_days) : 30,
    inherited: s?.organization_id !== orgId,
  };
}

export async function putSettings(db: Db, ctx: RequestContext, orgId: string, i: PutHostelSettingsT) {
  await withTx(db, async (tx) => {
    const org = await repo.orgPathInScope(tx, hostelManageScope(ctx.actor, repo.organizationIdColumn), orgId);
    if (!org) throw notFound('Organization');
    const before = await arepo.settingsFor(tx, orgId);
    await arepo.upsertSettings(tx, {
      organizationId: orgId,
      prorateFees: i.prorate_fees,
      feeDueDays: i.fee_due_days,
      updatedBy: ctx.actor.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'update',
      entityType: 'hostel_settings',
      entityId: orgId,
      organizationId: orgId,
      before: before
        ? { prorate_fees: before.prorate_fees, fee_due_days: Number(before.fee_due_days) }
        : null,
      after: { prorate_fees: i.prorate_fees, fee_due_days: i.fee_due_days },
    });
  });
  return getSettings(db, ctx, orgId);
}

/**
 * Charges the hostel fee of the allocation's year to the student's ledger, in the allocation's transaction.
 * Returns the ledger entry and amount, or null when no fee applies.
 */
export async function chargeAllocation(
  tx: DbOrTx,
  ctx: RequestContext,
  a: {
    allocationId: string;
    academicYear: string | null | undefined;
    startDate: string;
    student: { id: string; organizationId: string; currency: string };
    room: typeof hostelRooms.$inferSelect;
    hostelName: string;
  },
) {
  if (!a.academicYear) return null;
  const fee = await arepo.feeFor(tx, a.room.hostelId, a.academicYear, a.room.roomType);
  if (!fee) return null;
  if (fee.currency !== a.student.currency) {
    throw badRequest(
      'The hostel fee is in another currency than the student is billed in',
      [
        {
          field: 'student_id',
          message: `the student's organization bills in ${a.student.currency}, the fee is in ${fee.currency}`,
        },
      ],
      'currency_mismatch',
    );
  }
  const settings = await arepo.settingsFor(tx, a.student.organizationId);
  const amount = hostelCharge(
    fee.amountMinor,
    { start: fee.periodStart, end: fee.periodEnd },
    a.startDate,
    settings?.prorate_fees ?? false,
  );
  if (amount <= 0) return null;
  const dueDays = settings ? Number(settings.fee_due_days) : 30;
  const due = new Date(Date.parse(a.startDate) + dueDays * DAY).toISOString().slice(0, 10);
  const reason = `Hostel fee ${a.academicYear}: ${a.hostelName}, room ${a.room.roomNumber}`;
  const entry = await postCharge(tx, {
    organizationId: a.student.organizationId,
    studentId: a.student.id,
    entryType: 'charge',
    amountMinor: amount,
    currency: fee.currency,
    reason,
    dueDate: due,
    createdBy: ctx.actor.userId,
    notice: {
      kind: 'hostel_allocation_charged',
      title: 'New charge',
      body: `${reason}: ${formatMinor(amount, fee.currency)} ${fee.currency} added to your dues.`,
      data: {
        amount: formatMinor(amount, fee.currency),
        currency: fee.currency,
        source_type: 'hostel_allocation',
        source_id: a.allocationId,
      },
    },
  });
  return { entryId: entry.id, amountMinor: amount };
}
