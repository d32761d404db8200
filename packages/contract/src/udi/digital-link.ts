/**
 * GS1 Digital Link URIs (as printed in QR codes): `https://{any host}/{stem…}/01/{gtin}/10/{lot}/21/{serial}?17=YYMMDD`.
 * Only the numeric AI syntax is read (the deprecated convenience names such as `/gtin/` are not).
 */
import { gs1AiDefinition } from './gs1-ai.js';
import { padGtin, type Gs1RawElement, type Gs1Read } from './gs1.js';
import { udiFail } from './types.js';

/** Whether the text starts like an HTTP(S) URI (any letter case; the case rule is checked when reading). */
export function looksLikeDigitalLink(text: string): boolean {
  return /^https?:\/\//i.test(text);
}

interface Segment {
  text: string;
  pos: number;
}

/** Percent-decodes `text` (found at raw position `pos`), keeping the raw position of every character. */
function decode(segment: Segment): Gs1Read<{ value: string; valuePos: number[] }> {
  const { text, pos } = segment;
  let value = '';
  const valuePos: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text.charAt(i) !== '%') {
      value += text.charAt(i);
      valuePos.push(pos + i);
      i++;
      continue;
    }
    let run = '';
    const start = i;
    while (text.charAt(i) === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        return udiFail(
          'invalid_digital_link',
          `position ${pos + i}: "${text.slice(i, i + 3)}" is not a valid percent-encoding (%XX)`,
          {
            position: pos + i,
          },
        );
      }
      run += text.slice(i, i + 3);
      i += 3;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(run);
    } catch {
      return udiFail('invalid_digital_link', `position ${pos + start}: "${run}" does not decode to UTF-8 text`, {
        position: pos + start,
      });
    }
    for (const ch of decoded) {
      value += ch;
      valuePos.push(pos + start);
    }
  }
  return { ok: true, value: { value, valuePos } };
}

function split(text: string, sep: string, pos: number): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const part of text.split(sep)) {
    out.push({ text: part, pos: pos + at });
    at += part.length + sep.length;
  }
  return out;
}

/** Whether `seq` (qualifier AIs in URI order) follows one of the primary key's allowed sequences. */
function inOrder(seq: readonly string[], allowed: readonly (readonly string[])[]): boolean {
  return allowed.some((alt) => {
    let k = 0;
    for (const ai of seq) {
      while (k < alt.length && alt[k] !== ai) k++;
      if (k === alt.length) return false;
      k++;
    }
    return true;
  });
}

/** Reads the AI elements of a GS1 Digital Link URI found at `offset` of the raw scan. */
export function readGs1DigitalLink(uri: string, offset: number): Gs1Read<Gs1RawElement[]> {
  const m = /^([A-Za-z]+):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(uri);
  const scheme = m?.[1] ?? '';
  if (!m || !['http', 'https', 'HTTP', 'HTTPS'].includes(scheme)) {
    return udiFail(
      'invalid_digital_link',
      `position ${offset}: a GS1 Digital Link URI starts with http:// or https:// (scheme in all lower or all upper case), found "${scheme}"`,
      { position: offset },
    );
  }
  const host = m[2] ?? '';
  if (host === '') {
    return udiFail('invalid_digital_link', `position ${offset}: the URI has no host name`, { position: offset });
  }
  const pathPos = offset + scheme.length + 3 + host.length;
  const segments = split(m[3] ?? '', '/', pathPos).slice(1);
  if (segments.at(-1)?.text === '') segments.pop();
  // The primary key is the first AI with a dlpkey entry after which the rest of the path is AI/value pairs.
  let keyIndex = -1;
  for (let k = 0; k < segments.length && keyIndex < 0; k++) {
    if (!gs1AiDefinition(segments[k]!.text)?.dlpkey || (segments.length - k) % 2 !== 0) continue;
    let pairs = true;
    for (let j = k; j < segments.length; j += 2) pairs &&= gs1AiDefinition(segments[j]!.text) !== undefined;
    if (pairs) keyIndex = k;
  }
  if (keyIndex < 0) {
    return udiFail(
      'invalid_digital_link',
      `position ${pathPos}: the URI path has no GS1 primary key with its value (e.g. /01/{GTIN}) followed only by /AI/value pairs`,
      { position: pathPos },
    );
  }
  const elements: Gs1RawElement[] = [];
  for (let j = keyIndex; j < segments.length; j += 2) {
    const aiSeg = segments[j]!;
    const valueSeg = segments[j + 1]!;
    if (valueSeg.text === '') {
      return udiFail('invalid_digital_link', `AI (${aiSeg.text}) at position ${aiSeg.pos}: the path gives no value`, {
        ai: aiSeg.text,
        position: aiSeg.pos,
      });
    }
    const decoded = decode(valueSeg);
    if (!decoded.ok) return decoded;
    elements.push(padGtin({ ai: aiSeg.text, aiPos: aiSeg.pos, ...decoded.value }));
  }
  const key = elements[0]!;
  const qualifiers = elements.slice(1).map((e) => e.ai);
  const allowed = gs1AiDefinition(key.ai)?.dlpkey ?? [[]];
  if (!inOrder(qualifiers, allowed)) {
    const orders = allowed.map((alt) => (alt.length === 0 ? 'none' : alt.join(', '))).join(' or ');
    const bad = elements[1]!;
    return udiFail(
      'invalid_digital_link',
      `AI (${bad.ai}) at position ${bad.aiPos}: after the primary key (${key.ai}) the path may carry ${orders} in this order, found ${qualifiers.join(', ')}`,
      { ai: bad.ai, position: bad.aiPos },
    );
  }
  const query = m[4];
  if (query !== undefined) {
    const queryPos = pathPos + (m[3] ?? '').length + 1;
    for (const param of split(query.slice(1), '&', queryPos)) {
      const eq = param.text.indexOf('=');
      const name = eq < 0 ? param.text : param.text.slice(0, eq);
      if (!/^\d+$/.test(name)) continue; // other parameters (linkType, tracking…) are not GS1 data
      const def = gs1AiDefinition(name);
      if (!def) {
        return udiFail(
          'unknown_ai',
          `position ${param.pos}: query parameter ${name} is not a GS1 application identifier`,
          {
            position: param.pos,
          },
        );
      }
      if (!def.dlDataAttribute) {
        return udiFail(
          'invalid_digital_link',
          `AI (${name}) at position ${param.pos}: this AI may only appear in the URI path, not as a query parameter`,
          { ai: name, position: param.pos },
        );
      }
      const raw = eq < 0 ? '' : param.text.slice(eq + 1);
      if (raw === '') {
        return udiFail(
          'invalid_digital_link',
          `AI (${name}) at position ${param.pos}: the query parameter has no value`,
          {
            ai: name,
            position: param.pos,
          },
        );
      }
      const decoded = decode({ text: raw, pos: param.pos + eq + 1 });
      if (!decoded.ok) return decoded;
      elements.push(padGtin({ ai: name, aiPos: param.pos, ...decoded.value }));
    }
  }
  return { ok: true, value: elements };
}
