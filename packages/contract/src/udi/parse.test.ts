import { describe, expect, test } from 'vitest';
import {
  gs1CheckDigit,
  GS1_FNC1_SUBSTITUTES,
  GS1_SYMBOLOGY_IDENTIFIERS,
  ParsedUdi,
  parseUdi,
  type UdiParseResult,
} from '../index.js';

const now = new Date('2025-06-15T08:00:00Z');
const GTIN = `0950600013435${gs1CheckDigit('0950600013435')}`; // 09506000134352
const parse = (raw: string) => parseUdi(raw, { now });

function ok(r: UdiParseResult) {
  if (!r.ok) throw new Error(`expected a parsed UDI, got ${r.error.code}: ${r.error.message}`);
  expect(ParsedUdi.safeParse(r.udi).success).toBe(true);
  return r.udi;
}
function err(r: UdiParseResult) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.udi)}`);
  return r.error;
}
/** The UDI without the fields that depend on how it was transmitted. */
function content(r: UdiParseResult) {
  const { raw: _raw, symbology: _symbology, ...rest } = ok(r);
  return rest;
}

describe('VAL-01 GS1 element strings: symbology identifiers and FNC1 variants', () => {
  const expected = {
    issuer: 'GS1',
    di: GTIN,
    packagingLevel: '0',
    lot: 'ABC123',
    serial: 'SN-0001',
    expiryDate: '2027-03-31',
    expiryDayUnspecified: false,
    productionDate: '2025-03-01',
    productionDayUnspecified: false,
    elements: [
      { ai: '01', value: GTIN, title: 'GTIN' },
      { ai: '11', value: '250301', title: 'PROD DATE' },
      { ai: '17', value: '270331', title: 'USE BY or EXPIRY' },
      { ai: '10', value: 'ABC123', title: 'BATCH/LOT' },
      { ai: '21', value: 'SN-0001', title: 'SERIAL' },
    ],
    normalised: `(01)${GTIN}(11)250301(17)270331(10)ABC123(21)SN-0001`,
  };

  test('every separator variant with every GS1 symbology identifier, and none, gives the same UDI', () => {
    for (const sep of GS1_FNC1_SUBSTITUTES) {
      for (const sym of ['', ...GS1_SYMBOLOGY_IDENTIFIERS]) {
        const scan = `${sym}01${GTIN}112503011727033110ABC123${sep}21SN-0001`;
        const udi = ok(parse(scan));
        expect(content(parse(scan)), `${sym} ${JSON.stringify(sep)}`).toEqual(expected);
        expect(udi.raw).toBe(scan);
        expect(udi.symbology).toBe(sym === '' ? undefined : sym);
      }
    }
  });

  test('a leading FNC1, a trailing separator, repeated separators and a scanner line end are tolerated', () => {
    const body = `01${GTIN}112503011727033110ABC123\x1d21SN-0001`;
    for (const scan of [`\x1d${body}`, `^${body}`, `${body}\x1d`, `]d2${body}<GS>`, `${body}\r\n`, `  ${body}\n`]) {
      expect(content(parse(scan)), JSON.stringify(scan)).toEqual(expected);
    }
    expect(content(parse(`01${GTIN}\x1d\x1d112503011727033110ABC123\x1d\x1d21SN-0001`))).toEqual(expected);
  });

  test('a separator after a predefined-length AI is allowed; one inside it is an error with the position', () => {
    expect(content(parse(`01${GTIN}^11250301^17270331^10ABC123^21SN-0001`))).toEqual(expected);
    expect(err(parse(`]d201${GTIN}1725\x1d10ABC`))).toEqual({
      code: 'invalid_length',
      message: 'AI (17) at position 19: expected 6 digits, found 2 before a separator',
      ai: '17',
      position: 19,
    });
    expect(err(parse(`]d201${GTIN.slice(0, 10)}`)).message).toBe(
      'AI (01) at position 3: expected 14 digits, found 10 before the end of the data',
    );
  });

  test('the examples of the requirements: bad check digit and bad month, each with AI and position', () => {
    const badGtin = `${GTIN.slice(0, 13)}4`;
    expect(err(parse(`]d201${badGtin}17251231`))).toEqual({
      code: 'invalid_check_digit',
      message: 'AI (01) at position 3: check digit should be 2, found 4',
      ai: '01',
      position: 3,
    });
    expect(err(parse(`]d201${GTIN}17251332`))).toEqual({
      code: 'invalid_date',
      message: 'AI (17) at position 19: 251332 is not a valid date (month 13)',
      ai: '17',
      position: 19,
    });
  });

  test('character set 82, numeric fields, lengths and unknown AIs are reported precisely', () => {
    expect(err(parse(`01${GTIN}10AB#C`))).toEqual({
      code: 'invalid_character',
      message:
        "AI (10) at position 16: character '#' at position 20 is not allowed (allowed are the characters of GS1 AI encodable character set 82)",
      ai: '10',
      position: 20,
    });
    expect(err(parse(`01${GTIN}10AB C`)).position).toBe(20);
    expect(err(parse(`01${GTIN}10批号`)).code).toBe('invalid_character');
    expect(err(parse(`01${GTIN}17ABCDEF`)).message).toBe(
      "AI (17) at position 16: character 'A' at position 18 is not allowed (only digits are allowed)",
    );
    expect(err(parse(`01${GTIN}10${'L'.repeat(21)}`)).message).toBe(
      'AI (10) at position 16: the value has 21 characters, at most 20 are allowed',
    );
    expect(err(parse(`01${GTIN}10\x1d21X`)).message).toBe(
      'AI (10) at position 16: the value is empty (expected 1 to 20 characters)',
    );
    expect(err(parse(`01${GTIN}2345`))).toMatchObject({ code: 'unknown_ai', position: 16 });
    expect(err(parse(`01${GTIN}2345`)).message).toContain('unknown AI 23');
    expect(err(parse(`01${GTIN}\x1dA`)).message).toBe(
      "position 17: expected a GS1 application identifier (2 to 4 digits), found 'A'",
    );
    expect(err(parse(`01${GTIN}7\x1d`)).message).toBe(
      'position 16: expected a GS1 application identifier (2 to 4 digits), found a separator',
    );
  });

  test('VAL-10 associations: a lot needs its product, exclusive AIs, repeated AIs', () => {
    expect(err(parse('10ABC123'))).toEqual({
      code: 'missing_association',
      message: 'AI (10) at position 0 needs AI (01), (02), (03), (8006) or (8026) in the same scan',
      ai: '10',
      position: 0,
    });
    expect(err(parse(`]d217270331\x1d10ABC`)).message).toBe(
      'AI (17) at position 3 needs AI (01), (02), (03), (255), (8006) or (8026) in the same scan',
    );
    expect(err(parse(`01${GTIN}21S1\x1d235TPX`))).toEqual({
      code: 'invalid_association',
      message: 'AI (21) at position 16 must not be used together with AI (235) at position 21',
      ai: '21',
      position: 16,
    });
    expect(err(parse(`01${GTIN}3712`)).code).toBe('invalid_association');
    expect(err(parse(`02${GTIN}`)).message).toBe('AI (02) at position 0 needs AI (37) in the same scan');
    expect(err(parse(`01${GTIN}250X`)).message).toBe(
      'AI (250) at position 16 needs AI (01) with (21), (03) with (21) or (8006) with (21) in the same scan',
    );
    expect(ok(parse(`01${GTIN}21S1\x1d250X`)).serial).toBe('S1');
    expect(err(parse(`01${GTIN}10A\x1d10B`))).toEqual({
      code: 'duplicate_ai',
      message: 'AI (10) appears twice with different values: "A" at position 16 and "B" at position 20',
      ai: '10',
      position: 20,
    });
    expect(ok(parse(`01${GTIN}10A\x1d10A`)).elements).toHaveLength(2);
    expect(ok(parse(`01${GTIN}01${GTIN}`)).elements).toHaveLength(1);
    const sscc = `00${'12345678901234567'}${gs1CheckDigit('12345678901234567')}`;
    expect(err(parse(sscc))).toMatchObject({ code: 'missing_di', ai: '01' });
    expect(err(parse(sscc)).message).toContain('no GTIN (AI 01)');
  });
});

describe('VAL-01 bracketed HRI, plain GTINs, symbology identifiers of other codes', () => {
  test('bracketed HRI with or without spaces, escaped brackets, GTIN-13 written in (01)', () => {
    const plain = content(parse(`01${GTIN}17270331\x1d10AB(1)`));
    expect(content(parse(`(01)${GTIN}(17)270331(10)AB\\(1)`))).toEqual(plain);
    expect(content(parse(`(01) ${GTIN} (17) 270331 (10) AB\\(1)`))).toEqual(plain);
    expect(plain.normalised).toBe(`(01)${GTIN}(17)270331(10)AB\\(1)`);
    const gtin13 = ok(parse(`(01)${GTIN.slice(1)}(10)X`));
    expect(gtin13.di).toBe(GTIN);
    expect(err(parse(`(01)${GTIN}(1A)X`))).toMatchObject({ code: 'invalid_hri', position: 18 });
    expect(err(parse(`(01)${GTIN}(99`))).toMatchObject({ code: 'invalid_hri' });
    expect(err(parse(`(01)${GTIN}(23)X`))).toMatchObject({ code: 'unknown_ai', position: 18 });
    expect(err(parse(`(01)${GTIN.slice(0, 13)}5`)).code).toBe('invalid_check_digit');
  });

  test('a bare GTIN-13/14/8/12 is a DI-only GS1 scan (linear EAN-13); GTIN-13 becomes GTIN-14', () => {
    const ean = ok(parse('6901234567892'));
    expect(ean).toMatchObject({
      issuer: 'GS1',
      di: '06901234567892',
      packagingLevel: '0',
      normalised: '(01)06901234567892',
    });
    expect(ean.lot).toBeUndefined();
    expect(ok(parse(GTIN)).di).toBe(GTIN);
    expect(ok(parse('02345673')).di).toBe('00000002345673');
    expect(ok(parse(']E06901234567892')).symbology).toBe(']E0');
    expect(err(parse('6901234567893'))).toEqual({
      code: 'invalid_check_digit',
      message: 'GTIN-13 at position 0: check digit should be 2, found 3',
      ai: '01',
      position: 0,
    });
  });

  test('non-GS1 symbology identifiers: rejected as "not GS1 data" unless MA, AHM or Digital Link', () => {
    expect(err(parse(`]d101${GTIN}`))).toMatchObject({ code: 'not_gs1', position: 0 });
    expect(err(parse(`]Q1hello`)).message).toContain('symbology identifier ]Q1 announces data that is not GS1');
    expect(ok(parse(`]Q1https://id.gs1.org/01/${GTIN}`)).symbology).toBe(']Q1');
    expect(ok(parse(']d1MA.156.M0.100204.13351764.L1')).issuer).toBe('MA');
    expect(err(parse(']d')).code).toBe('invalid_symbology');
    expect(err(parse(']d2')).code).toBe('empty');
    expect(err(parse('')).code).toBe('empty');
    expect(err(parse(' \r\n')).code).toBe('empty');
    expect(err(parse('hello'))).toMatchObject({ code: 'unknown_format', position: 0 });
  });
});

describe('VAL-01 GS1 Digital Link URIs', () => {
  test('path key and qualifiers, query attributes, any host, http or https in one case, percent-decoding', () => {
    expect(err(parse(`https://id.gs1.org/01/${GTIN}/10/AB%2F1/21/S%201x?17=270331`))).toMatchObject({
      code: 'invalid_character',
      ai: '21',
      position: 51,
    });
    const good = ok(parse(`https://example.com/some/stem/01/${GTIN}/10/AB%2F1/21/S1?17=270331&11=250301&utm=x`));
    expect(good).toMatchObject({
      issuer: 'GS1',
      di: GTIN,
      lot: 'AB/1',
      serial: 'S1',
      expiryDate: '2027-03-31',
      productionDate: '2025-03-01',
    });
    expect(good.normalised).toBe(`(01)${GTIN}(10)AB/1(21)S1(17)270331(11)250301`);
    expect(content(parse(`HTTP://EXAMPLE.COM/01/${GTIN}/10/X`))).toEqual(content(parse(`(01)${GTIN}(10)X`)));
    expect(ok(parse(`http://id.gs1.org/01/${GTIN.slice(1)}`)).di).toBe(GTIN);
    expect(err(parse(`Https://id.gs1.org/01/${GTIN}`))).toMatchObject({ code: 'invalid_digital_link', position: 0 });
    expect(ok(parse(`https://id.gs1.org/01/${GTIN}/235/TPX1`)).elements.map((e) => e.ai)).toEqual(['01', '235']);
    expect(ok(parse(`https://id.gs1.org/01/${GTIN}/22/V1/10/L1/21/S1`)).elements).toHaveLength(4);
  });

  test('qualifier order 22 → 10 → 21 or 235 alone, query-only AIs, bad encodings and missing keys', () => {
    expect(err(parse(`https://id.gs1.org/01/${GTIN}/21/S1/10/L1`))).toEqual({
      code: 'invalid_digital_link',
      message:
        'AI (21) at position 37: after the primary key (01) the path may carry 22, 10, 21 or 235 in this order, found 21, 10',
      ai: '21',
      position: 37,
    });
    expect(err(parse(`https://id.gs1.org/01/${GTIN}/10/L1/235/T1`)).code).toBe('invalid_digital_link');
    expect(err(parse(`https://id.gs1.org/01/${GTIN}?21=S1`))).toMatchObject({
      code: 'invalid_digital_link',
      ai: '21',
      position: 37,
    });
    expect(err(parse(`https://id.gs1.org/01/${GTIN}?17=271332`))).toMatchObject({
      code: 'invalid_date',
      ai: '17',
      position: 37,
    });
    expect(err(parse(`https://id.gs1.org/01/${GTIN}?9999=1`)).code).toBe('unknown_ai');
    expect(err(parse(`https://id.gs1.org/01/${GTIN}/10/A%G1`))).toMatchObject({
      code: 'invalid_digital_link',
      position: 41,
    });
    expect(err(parse('https://id.gs1.org/product/123')).code).toBe('invalid_digital_link');
    expect(err(parse(`https:///01/${GTIN}`)).code).toBe('invalid_digital_link');
    expect(err(parse(`https://id.gs1.org/01/${GTIN}/10/L1?10=L2`)).code).toBe('duplicate_ai');
    expect(err(parse(`https://id.gs1.org/01/${GTIN.slice(0, 13)}9`))).toMatchObject({
      code: 'invalid_check_digit',
      ai: '01',
    });
  });
});

describe('VAL-01 MA codes (IDcode)', () => {
  test('the published examples (domain reference c.4, and the same code with another registrant)', () => {
    expect(ok(parse('MA.156.M0.100761.21234561.Sx00008.M220117.L20220117.D20220118.E220130.V220117.C3'))).toMatchObject(
      {
        di: 'MA.156.M0.100761.21234561',
        packagingLevel: '2',
        serial: 'x00008',
        lot: '20220117',
      },
    );
    expect(ok(parse('MA.156.M0.100204.13351764.Sx00008.M220117.L20220117.D20220118.E220130.V220117.C3'))).toMatchObject(
      {
        issuer: 'MA',
        di: 'MA.156.M0.100204.13351764',
        packagingLevel: '1',
        serial: 'x00008',
        lot: '20220117',
        productionDate: '2022-01-17',
        expiryDate: '2022-01-30',
        normalised: 'MA.156.M0.100204.13351764.Sx00008.M220117.L20220117.D20220118.E220130.V220117.C3',
      },
    );
    const second = ok(parse('MA.156.M0.100350.01004YA10017.SLMSAGAAAC.M210628.LAY21062803.E220628.V220627.C3'));
    expect(second).toMatchObject({
      di: 'MA.156.M0.100350.01004YA10017',
      packagingLevel: '0',
      serial: 'LMSAGAAAC',
      lot: 'AY21062803',
      productionDate: '2021-06-28',
      expiryDate: '2022-06-28',
    });
    expect(second.elements.map((e) => e.ai)).toEqual(['DI', 'S', 'M', 'L', 'E', 'V', 'C']);
    expect(second.elements.find((e) => e.ai === 'D')).toBeUndefined();
  });

  test('8-digit and P production dates, V as expiry when there is no E, a DI alone', () => {
    expect(ok(parse('MA.156.M0.100204.23351764.P20240229.V20260228'))).toMatchObject({
      packagingLevel: '2',
      productionDate: '2024-02-29',
      expiryDate: '2026-02-28',
    });
    expect(ok(parse('MA.156.M0.100204.13351764')).elements).toHaveLength(1);
  });

  test('unknown prefixes, bad dates, short DIs, misplaced check characters: with positions', () => {
    expect(err(parse('MA.156.M0.100204.13351764.X123'))).toEqual({
      code: 'invalid_ma',
      message:
        'MA code, position 26: unknown data unit "X123" (expected .L, .S, .M, .P, .D, .V, .E or .C followed by a value)',
      position: 26,
    });
    expect(err(parse('MA.156.M0.100204.13351764.M221301'))).toEqual({
      code: 'invalid_date',
      message: 'MA code, data unit .M at position 26: 221301 is not a valid date (month 13)',
      position: 26,
    });
    expect(err(parse('MA.156.M0.100204.13351764.E2201')).message).toContain(
      'expected 6 digits YYMMDD or 8 digits YYYYMMDD',
    );
    expect(err(parse('MA.156.M0.100204')).code).toBe('invalid_ma');
    expect(err(parse('MA.15.M0.100204.1')).position).toBe(3);
    expect(err(parse('MA.156.M0.100204.13351764.C3.L1')).message).toContain('must be the last data unit');
    expect(err(parse('MA.156.M0.100204.13351764.L1.L2')).message).toContain('appears twice');
    expect(err(parse('MA.156.M0.100204.13351764.M220117.P220118')).code).toBe('invalid_ma');
    expect(err(parse('MA.156.M0.100204.13351764..L1')).position).toBe(26);
  });
});

describe('VAL-01 AHM codes (provisional syntax)', () => {
  test('MF + DI with batch, serial, dates and packaging level', () => {
    expect(ok(parse('MF6901234567892BA2301A*SNX001*MD230101BD250101ED241231PL1'))).toMatchObject({
      issuer: 'AHM',
      di: '6901234567892',
      lot: '2301A',
      serial: 'X001',
      productionDate: '2023-01-01',
      expiryDate: '2025-01-01',
      packagingLevel: '1',
      normalised: 'MF6901234567892BA2301A*SNX001*MD230101BD250101ED241231PL1',
    });
    expect(ok(parse('MF12345ED251231BAL9'))).toMatchObject({ di: '12345', lot: 'L9', expiryDate: '2025-12-31' });
  });

  test('bad units and dates are reported with positions', () => {
    expect(err(parse('MF12345MD251301'))).toMatchObject({ code: 'invalid_date', position: 7 });
    expect(err(parse('MF12345BA1*XX1'))).toMatchObject({ code: 'invalid_ahm', position: 11 });
    expect(err(parse('MF12345PLX'))).toMatchObject({ code: 'invalid_ahm', position: 7 });
    expect(err(parse('MFBA1*'))).toMatchObject({ code: 'invalid_ahm', position: 0 });
    expect(err(parse('MF12345678901234'))).toMatchObject({ code: 'invalid_ahm' });
  });
});
