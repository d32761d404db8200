import {
  LICENCE_LABELS,
  scopeCovers,
  type LicenceKind,
  type TradeBlock,
  type TradeCheckResponse,
} from '@medledger/contract';
import { recordDetached } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { chinaToday } from './master-data.common.js';
import { licencesOf, loadPartyRow } from './master-data.parties.js';
import { loadProductRow } from './master-data.products.js';

export type TradeQuestion = { direction: 'purchase' | 'sale'; partyId: string; productId: string };

type Licence = Awaited<ReturnType<typeof licencesOf>>[number];

const label = (kind: LicenceKind) => LICENCE_LABELS[kind];

/**
 * The licence requirement for one kind of document set: the kinds that satisfy it, whether the
 * scope must cover the product, and how to name it in a refusal.
 */
function requireLicence(
  blocks: TradeBlock[],
  licences: Licence[],
  today: string,
  need: { kinds: readonly LicenceKind[]; scope: { deviceClass: 'I' | 'II' | 'III'; catalogCode: string } | null },
  partyName: string,
): void {
  const names = need.kinds.map(label);
  const zhNames = names.map((n) => n.zh).join('或');
  const enNames = names.map((n) => n.en).join(' or ');
  const candidates = licences.filter((l) => need.kinds.includes(l.kind));
  if (candidates.length === 0) {
    blocks.push({
      reason: 'licence_missing',
      zh: `${partyName} 的档案中没有${zhNames}。`,
      en: `${partyName} has no ${enNames} on file.`,
    });
    return;
  }
  const valid = candidates.filter((l) => l.validUntil === null || l.validUntil >= today);
  if (valid.length === 0) {
    const last = [...candidates].sort((a, b) => (b.validUntil ?? '').localeCompare(a.validUntil ?? ''))[0]!;
    const l = label(last.kind);
    blocks.push({
      reason: 'licence_expired',
      zh: `${partyName} 的${l.zh}（编号 ${last.number}）已于 ${last.validUntil} 到期。`,
      en: `${partyName}'s ${l.en} (No. ${last.number}) expired on ${last.validUntil}.`,
    });
    return;
  }
  if (need.scope === null) return;
  const { deviceClass, catalogCode } = need.scope;
  if (!valid.some((l) => l.scope.some((s) => scopeCovers(s, deviceClass, catalogCode)))) {
    const code = `${deviceClass}:${catalogCode}`;
    blocks.push({
      reason: 'scope_not_covered',
      zh: `${partyName} 的${zhNames}经营范围不含 ${deviceClass} 类 ${catalogCode}（缺少 ${code}）。`,
      en: `The scope of ${partyName}'s ${enNames} does not cover class ${deviceClass} ${catalogCode} (missing ${code}).`,
    });
  }
}

/**
 * "May we buy this product from this party, or sell it to them, today?" (GSP arts. 53–57, 80–82;
 * GSPI ※5.51 check 5). Automatic locks, not warnings: every reason is returned, each naming the
 * document, number, date or scope code at fault. Procurement and sales call this before any new
 * document; a record outside the caller's reach is `not_found`.
 */
export async function checkTrade(ctx: Ctx, question: TradeQuestion, on: Date = ctx.now): Promise<TradeCheckResponse> {
  const today = chinaToday(on);
  const party = await loadPartyRow(ctx, question.partyId);
  const product = await loadProductRow(ctx, question.productId);
  const blocks: TradeBlock[] = [];
  const name = `${party.name}（${party.code}）`;

  if (party.status !== 'approved') {
    blocks.push({
      reason: 'party_not_approved',
      zh: `${name} 的首营资料尚未经质量审核批准。`,
      en: `${party.name} (${party.code}) has not been approved by QA (first-business review).`,
    });
  }
  const isSeller = Number(party.isSupplier) === 1 || Number(party.isManufacturer) === 1;
  if (question.direction === 'purchase' ? !isSeller : party.customerType === null) {
    blocks.push({
      reason: 'party_wrong_role',
      zh: question.direction === 'purchase' ? `${name} 不是供应商。` : `${name} 不是客户。`,
      en: `${party.name} (${party.code}) is not ${question.direction === 'purchase' ? 'a supplier' : 'a customer'}.`,
    });
  }

  const licences = await licencesOf(ctx, [party.id]);
  requireLicence(blocks, licences, today, { kinds: ['business_licence'], scope: null }, name);
  const scope = { deviceClass: product.deviceClass, catalogCode: product.catalogCode };
  if (question.direction === 'sale' && party.customerType === 'hospital') {
    // A hospital uses devices and holds no distribution licence: it needs its practising licence.
    requireLicence(blocks, licences, today, { kinds: ['medical_institution_licence'], scope: null }, name);
  } else if (product.deviceClass === 'III') {
    const kinds: LicenceKind[] =
      question.direction === 'purchase' && Number(party.isManufacturer) === 1
        ? ['operating_licence', 'production_licence']
        : ['operating_licence'];
    const hasLicence = licences.some((l) => kinds.includes(l.kind));
    const hasFiling = licences.some((l) => l.kind === 'operating_filing');
    if (!hasLicence && hasFiling) {
      blocks.push({
        reason: 'class_iii_filing_only',
        zh: `${name} 只有第二类医疗器械经营备案凭证，不能经营第三类医疗器械（需要医疗器械经营许可证）。`,
        en: `${party.name} (${party.code}) holds only a Class II operating filing; Class III devices need a medical device operating licence.`,
      });
    } else {
      requireLicence(blocks, licences, today, { kinds, scope }, name);
    }
  } else if (product.deviceClass === 'II') {
    const kinds: LicenceKind[] =
      question.direction === 'purchase' && Number(party.isManufacturer) === 1
        ? ['operating_licence', 'operating_filing', 'production_licence']
        : ['operating_licence', 'operating_filing'];
    requireLicence(blocks, licences, today, { kinds, scope }, name);
  }

  const item = `${product.name} ${product.model}（${product.code}）`;
  if (product.status !== 'approved') {
    blocks.push({
      reason: 'product_not_approved',
      zh: `产品 ${item} 的首营资料尚未经质量审核批准。`,
      en: `Product ${product.name} ${product.model} (${product.code}) has not been approved by QA (first-business review).`,
    });
  }
  if (product.certificateCancelledAt !== null) {
    blocks.push({
      reason: 'certificate_cancelled',
      zh: `产品 ${item} 的注册证/备案凭证 ${product.certificateNo} 已注销。`,
      en: `The registration certificate ${product.certificateNo} of ${product.name} (${product.code}) has been cancelled.`,
    });
  } else if (product.certificateValidUntil !== null && product.certificateValidUntil < today) {
    blocks.push({
      reason: 'certificate_expired',
      zh: `产品 ${item} 的注册证 ${product.certificateNo} 已于 ${product.certificateValidUntil} 到期。`,
      en: `The registration certificate ${product.certificateNo} of ${product.name} (${product.code}) expired on ${product.certificateValidUntil}.`,
    });
  }
  return { allowed: blocks.length === 0, on: today, blocks };
}

/**
 * Throws `qualification_blocked` (listing every reason, Chinese then English) unless the trade is
 * allowed; the refusal is audited even though the caller's transaction rolls back.
 */
export async function assertTradeAllowed(ctx: Ctx, question: TradeQuestion): Promise<void> {
  const result = await checkTrade(ctx, question);
  if (result.allowed) return;
  const error = new AppError(
    'qualification_blocked',
    result.blocks.map((b) => b.en).join(' '),
    result.blocks.map((b, i) => ({ path: `qualification.${i}`, message: `${b.zh} / ${b.en}`, code: b.reason })),
  );
  error.afterRollback = async () => {
    await recordDetached(ctx, {
      action: 'master-data.trade.blocked',
      outcome: 'denied',
      resource: { type: 'md_party', id: question.partyId },
      data: { ...question, reasons: result.blocks.map((b) => b.reason) },
    });
  };
  throw error;
}
