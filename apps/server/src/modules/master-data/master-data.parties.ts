import type { PartyFields, PartyView, ProposePartyInput } from '@medledger/contract';
import { open, seal } from '../keys/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { fileChange, pendingChangeIds } from './master-data.changes.js';
import { maskIdNumber, parseJsonArray, searchPattern } from './master-data.common.js';
import type { MdPartyTable } from './master-data.tables.js';

const idRef = (id: string) => ({ table: 'md_rep_id_number', column: 'idNumberSealed', rowId: id });

/** A party's content as stored in a change: the input without clear ID numbers (letters keep their id). */
export type PartyPayload = Omit<PartyFields, 'repAuthorisations'> & {
  repAuthorisations: {
    id: string;
    repName: string;
    productCodes: string[];
    territory: string;
    validFrom: string;
    validUntil: string;
  }[];
};

/**
 * Turns proposed party content into a stored payload: a letter with a new ID number gets a new id
 * and its number sealed at once; a letter named by id keeps the sealed number on file, and must
 * belong to this party.
 */
async function toPayload(ctx: Ctx, partyId: string | null, fields: PartyFields): Promise<PartyPayload> {
  const known =
    partyId === null
      ? new Set<string>()
      : new Set(
          (await ctx.db.selectFrom('md_rep_authorisation').select('id').where('partyId', '=', partyId).execute()).map(
            (r) => r.id,
          ),
        );
  const reps: PartyPayload['repAuthorisations'] = [];
  for (const [i, rep] of fields.repAuthorisations.entries()) {
    let id: string;
    if (rep.idNumber !== undefined) {
      id = uuidv7(ctx.now.getTime());
      await ctx.db
        .insertInto('md_rep_id_number')
        .values({ id, idNumberSealed: seal(ctx, idRef(id), rep.idNumber.toUpperCase()) })
        .execute();
    } else if (rep.id !== undefined && known.has(rep.id)) {
      id = rep.id;
    } else {
      throw new AppError('validation_failed', 'Unknown authorisation letter: give the representative’s ID number.', [
        { path: `body.party.repAuthorisations.${i}.idNumber`, message: 'required for a new authorisation letter' },
      ]);
    }
    reps.push({
      id,
      repName: rep.repName,
      productCodes: rep.productCodes,
      territory: rep.territory,
      validFrom: rep.validFrom,
      validUntil: rep.validUntil,
    });
  }
  const { repAuthorisations: _reps, ...rest } = fields;
  return { ...rest, repAuthorisations: reps };
}

function partyColumns(p: PartyPayload) {
  return {
    code: p.code,
    name: p.name,
    uscc: p.uscc,
    isSupplier: p.isSupplier ? 1 : 0,
    isManufacturer: p.isManufacturer ? 1 : 0,
    customerType: p.customerType,
    legalRepresentative: p.legalRepresentative,
    enterpriseHead: p.enterpriseHead,
    address: p.address,
    warehouseAddress: p.warehouseAddress,
  };
}

/** Replaces the party's documents in force with those of `p`. */
async function writeDocuments(ctx: Ctx, partyId: string, p: PartyPayload): Promise<void> {
  await ctx.db.deleteFrom('md_party_licence').where('partyId', '=', partyId).execute();
  await ctx.db.deleteFrom('md_rep_authorisation').where('partyId', '=', partyId).execute();
  for (const l of p.licences) {
    await ctx.db
      .insertInto('md_party_licence')
      .values({
        id: uuidv7(ctx.now.getTime()),
        partyId,
        kind: l.kind,
        number: l.number,
        authority: l.authority,
        issuedOn: l.issuedOn,
        validUntil: l.validUntil,
        scope: JSON.stringify(l.scope),
      })
      .execute();
  }
  for (const r of p.repAuthorisations) {
    await ctx.db
      .insertInto('md_rep_authorisation')
      .values({
        id: r.id,
        partyId,
        repName: r.repName,
        productCodes: JSON.stringify(r.productCodes),
        territory: r.territory,
        validFrom: r.validFrom,
        validUntil: r.validUntil,
      })
      .execute();
  }
}

async function codeTaken(ctx: Ctx, code: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('md_party').select('id').where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

/**
 * 首营企业 (GSP arts. 53, 82): files a new supplier, manufacturer or customer with its documents.
 * The party exists at once but stays `pending` — unusable for any purchase or sale — until QA
 * approves the file with an electronic signature. Returns the change id.
 */
export async function proposeNewParty(
  ctx: Ctx,
  input: ProposePartyInput,
  options: { importId?: string } = {},
): Promise<{ partyId: string; changeId: string }> {
  if (await codeTaken(ctx, input.party.code)) {
    throw new AppError('conflict', `A party with the code ${input.party.code} already exists.`);
  }
  const partyId = uuidv7(ctx.now.getTime());
  const payload = await toPayload(ctx, null, input.party);
  const at = ctx.now.toISOString();
  await ctx.db
    .insertInto('md_party')
    .values({
      id: partyId,
      ...partyColumns(payload),
      status: 'pending',
      version: 0,
      approvedAt: null,
      approvedByName: null,
      createdAt: at,
      updatedAt: at,
    })
    .execute();
  await writeDocuments(ctx, partyId, payload);
  const changeId = await fileChange(ctx, {
    entity: 'party',
    entityId: partyId,
    code: payload.code,
    firstBusiness: true,
    payload,
    reason: input.reason,
    importId: options.importId,
  });
  return { partyId, changeId };
}

/**
 * Proposes a change to a party (GSPI ※5.51 check 3): nothing changes until QA approves it; the
 * version in force stays usable meanwhile, and the proposal records its reason.
 */
export async function proposePartyChange(ctx: Ctx, partyId: string, input: ProposePartyInput): Promise<string> {
  const row = await loadPartyRow(ctx, partyId);
  if (input.party.code !== row.code) {
    throw new AppError('validation_failed', 'The party code cannot change; create a new party instead.', [
      { path: 'body.party.code', message: `must stay ${row.code}` },
    ]);
  }
  const payload = await toPayload(ctx, partyId, input.party);
  if (row.status !== 'approved') {
    // A first-business file not approved yet: the pending record shows what is proposed.
    await ctx.db.updateTable('md_party').set(partyColumns(payload)).where('id', '=', partyId).execute();
    await writeDocuments(ctx, partyId, payload);
  }
  return fileChange(ctx, {
    entity: 'party',
    entityId: partyId,
    code: row.code,
    firstBusiness: row.status !== 'approved',
    payload,
    reason: input.reason,
  });
}

/** Puts an approved version of a party in force (called by the QA decision). */
export async function applyParty(
  ctx: Ctx,
  partyId: string,
  payload: PartyPayload,
  version: number,
  approverName: string,
): Promise<void> {
  await ctx.db
    .updateTable('md_party')
    .set({
      ...partyColumns(payload),
      status: 'approved',
      version,
      approvedAt: ctx.now.toISOString(),
      approvedByName: approverName,
      updatedAt: ctx.now.toISOString(),
    })
    .where('id', '=', partyId)
    .execute();
  await writeDocuments(ctx, partyId, payload);
}

/** A first-business file QA refused: the party stays unusable. */
export async function rejectFirstParty(ctx: Ctx, partyId: string): Promise<void> {
  await ctx.db
    .updateTable('md_party')
    .set({ status: 'rejected', updatedAt: ctx.now.toISOString() })
    .where('id', '=', partyId)
    .execute();
}

export async function loadPartyRow(ctx: Pick<Ctx, 'db'>, partyId: string): Promise<MdPartyTable> {
  const row = await ctx.db.selectFrom('md_party').selectAll().where('id', '=', partyId).executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No such party.');
  return row;
}

/** Licences in force of the given parties. */
export async function licencesOf(ctx: Pick<Ctx, 'db'>, partyIds: readonly string[]) {
  if (partyIds.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('md_party_licence')
    .selectAll()
    .where('partyId', 'in', partyIds)
    .orderBy('kind')
    .orderBy('number')
    .execute();
  return rows.map((l) => ({ ...l, scope: parseJsonArray(l.scope), kind: l.kind }));
}

async function views(ctx: Ctx, rows: MdPartyTable[]): Promise<PartyView[]> {
  const ids = rows.map((r) => r.id);
  const licences = await licencesOf(ctx, ids);
  const reps =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('md_rep_authorisation as r')
          .innerJoin('md_rep_id_number as n', 'n.id', 'r.id')
          .selectAll('r')
          .select('n.idNumberSealed')
          .where('r.partyId', 'in', ids)
          .orderBy('r.validUntil')
          .execute();
  const pending = await pendingChangeIds(ctx, ids);
  const out: PartyView[] = [];
  for (const r of rows) {
    const repViews = [];
    for (const a of reps.filter((x) => x.partyId === r.id)) {
      repViews.push({
        id: a.id,
        repName: a.repName,
        idNumberMasked: maskIdNumber(await open(ctx, idRef(a.id), a.idNumberSealed)),
        productCodes: parseJsonArray(a.productCodes),
        territory: a.territory,
        validFrom: a.validFrom,
        validUntil: a.validUntil,
      });
    }
    out.push({
      id: r.id,
      code: r.code,
      name: r.name,
      uscc: r.uscc,
      isSupplier: Number(r.isSupplier) === 1,
      isManufacturer: Number(r.isManufacturer) === 1,
      customerType: r.customerType,
      legalRepresentative: r.legalRepresentative,
      enterpriseHead: r.enterpriseHead,
      address: r.address,
      warehouseAddress: r.warehouseAddress,
      status: r.status,
      version: Number(r.version),
      approvedAt: r.approvedAt,
      approvedByName: r.approvedByName,
      updatedAt: r.updatedAt,
      licences: licences
        .filter((l) => l.partyId === r.id)
        .map((l) => ({
          kind: l.kind,
          number: l.number,
          authority: l.authority,
          issuedOn: l.issuedOn,
          validUntil: l.validUntil,
          scope: l.scope,
        })),
      repAuthorisations: repViews,
      pendingChangeId: pending.get(r.id) ?? null,
    });
  }
  return out;
}

export async function getParty(ctx: Ctx, partyId: string): Promise<PartyView> {
  const [view] = await views(ctx, [await loadPartyRow(ctx, partyId)]);
  return view!;
}

/** Parties matching the filter, by code, one page at a time. */
export async function listParties(
  ctx: Ctx,
  query: {
    q?: string | undefined;
    role?: 'supplier' | 'manufacturer' | 'customer' | undefined;
    status?: MdPartyTable['status'] | undefined;
    page: number;
    pageSize: number;
  },
): Promise<{ total: number; parties: PartyView[] }> {
  let q = ctx.db.selectFrom('md_party');
  const like = searchPattern(query.q);
  if (like !== null) {
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['code']), 'like', like),
        eb(eb.fn('lower', ['name']), 'like', like),
        eb(eb.fn('lower', ['uscc']), 'like', like),
      ]),
    );
  }
  if (query.role === 'supplier') q = q.where('isSupplier', '=', 1);
  if (query.role === 'manufacturer') q = q.where('isManufacturer', '=', 1);
  if (query.role === 'customer') q = q.where('customerType', 'is not', null);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  const rows = await q
    .selectAll()
    .orderBy('code')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { total: Number(total?.n ?? 0), parties: await views(ctx, rows) };
}

/** The masked ID number of an authorisation letter (on file or proposed). */
export async function maskedIdNumber(ctx: Ctx, letterId: string): Promise<string> {
  const row = await ctx.db
    .selectFrom('md_rep_id_number')
    .select('idNumberSealed')
    .where('id', '=', letterId)
    .executeTakeFirst();
  return row === undefined ? '' : maskIdNumber(await open(ctx, idRef(letterId), row.idNumberSealed));
}
