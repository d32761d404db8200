import { z } from 'zod';

/** The issuing agencies whose UDI formats MedLedger reads, with their names in both languages. */
export const UDI_ISSUERS = {
  GS1: { zh: '中国物品编码中心（GS1）', en: 'GS1 (GS1 China, prefixes 690–699, and GS1 worldwide)' },
  MA: { zh: '中关村工信二维码技术研究院（MA 码 / IDcode）', en: 'ZIIOT (MA code / IDcode)' },
  AHM: { zh: '阿里健康（AHM 码）', en: 'Alibaba Health (AHM code)' },
} as const satisfies Record<string, { zh: string; en: string }>;

/** One of the keys of {@link UDI_ISSUERS}. */
export type UdiIssuer = keyof typeof UDI_ISSUERS;

/** One element of a parsed UDI: a GS1 AI, or an MA / AHM data unit (`ai` is then its prefix: `L`, `BA`…). */
export const UdiElement = z.strictObject({
  ai: z.string(),
  value: z.string(),
  title: z.string(),
});
export type UdiElement = z.infer<typeof UdiElement>;

/**
 * A parsed UDI. `di` is the UDI-DI (GTIN-14 for GS1; the first five segments for MA; the MF value
 * for AHM); lot, serial and dates are the production identifiers found. Dates are ISO `YYYY-MM-DD`;
 * when the code leaves the day unspecified (GS1 DD = 00), the expiry date is the last day of that
 * month and the production date the first, and the matching `…DayUnspecified` flag is `true`.
 * `normalised` is the GS1 bracketed form `(01)…(17)…(10)…` (brackets in values escaped as `\(`),
 * or the MA / AHM code rebuilt from its parts. `raw` is the scan exactly as received.
 */
export const ParsedUdi = z.strictObject({
  issuer: z.enum(['GS1', 'MA', 'AHM']),
  raw: z.string(),
  symbology: z.string().optional(),
  di: z.string(),
  packagingLevel: z.string().optional(),
  lot: z.string().optional(),
  serial: z.string().optional(),
  productionDate: z.iso.date().optional(),
  productionDayUnspecified: z.boolean().optional(),
  expiryDate: z.iso.date().optional(),
  expiryDayUnspecified: z.boolean().optional(),
  elements: z.array(UdiElement),
  normalised: z.string(),
});
export type ParsedUdi = z.infer<typeof ParsedUdi>;

/** Why a scan is not a valid UDI. Codes are stable; branch on them, not on the message. */
export const UDI_PARSE_ERROR_CODES = [
  'empty',
  'unknown_format',
  'invalid_symbology',
  'not_gs1',
  'unknown_ai',
  'invalid_length',
  'invalid_character',
  'invalid_check_digit',
  'invalid_date',
  'invalid_value',
  'duplicate_ai',
  'missing_association',
  'invalid_association',
  'missing_di',
  'invalid_hri',
  'invalid_digital_link',
  'invalid_ma',
  'invalid_ahm',
] as const;

/** One of {@link UDI_PARSE_ERROR_CODES}. */
export type UdiParseErrorCode = (typeof UDI_PARSE_ERROR_CODES)[number];

/**
 * A parse failure. `message` is English and self-contained (which AI, where, what is wrong, what was
 * expected). `position` is the 0-based index in the raw scan (the number of characters before the
 * problem): of the AI or data unit concerned, or of the offending character when there is one.
 */
export interface UdiParseError {
  code: UdiParseErrorCode;
  message: string;
  ai?: string;
  position?: number;
}

/** The result of {@link parseUdi}: never throws on bad input. */
export type UdiParseResult = { ok: true; udi: ParsedUdi } | { ok: false; error: UdiParseError };

/** Options of {@link parseUdi}. */
export interface UdiParseOptions {
  /** "Today" for the GS1 century rule of two-digit years (default: the current date). */
  now?: Date;
}

/** Internal: a failure result. */
export type UdiFailure = { ok: false; error: UdiParseError };

/** Internal: builds a failure result. */
export function udiFail(
  code: UdiParseErrorCode,
  message: string,
  where: { ai?: string; position?: number } = {},
): UdiFailure {
  return { ok: false, error: { code, message, ...where } };
}
