import { constants as zlibConstants, crc32, inflateSync } from 'node:zlib';
import type { StoredFileMediaType } from '@medledger/contract';
import { AppError } from '../../platform/errors.js';

/*
 * FILE-01: what a file is, decided from its bytes alone, and whether it is only that. The three
 * accepted formats are walked structurally (JPEG segments, PNG chunks with their CRCs, PDF objects
 * and object streams) rather than searched, so compressed image data cannot cause false alarms
 * and nothing can hide after the format's own end. See docs/decisions/0020-document-uploads.md.
 */

/** Images above this many pixels are refused (ATK-UPLOAD pixel flood); 50 MP per FILE-01. */
export const MAX_PIXELS = 50_000_000;
/** Most bytes the PDF object streams of one file may inflate to while being checked (zip bomb). */
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export type Inspection = { mediaType: StoredFileMediaType; width?: number; height?: number };

const malformed = (what: string) =>
  new AppError('upload_malformed', `The file is damaged or incomplete: ${what}. Scan or export it again.`);
const unsafe = (what: string) =>
  new AppError(
    'upload_unsafe',
    `The file was refused because ${what}. Print or scan it to a plain PDF or image, then upload that.`,
  );

/**
 * Markers of another format or of active content, searched case-insensitively in the parts of an
 * image that are not compressed pixel data (metadata segments and chunks).
 */
const TEXT_MARKERS = [
  '<script',
  '<html',
  '<svg',
  '<iframe',
  '<body',
  '<object',
  '<embed',
  '<?php',
  'javascript:',
  '%pdf-',
];
/** ZIP/JAR local file header, central directory header and end record. */
const ZIP_MARKERS = ['PK\x03\x04', 'PK\x01\x02', 'PK\x05\x06'];

function markerIn(region: Buffer): string | null {
  if (region.length === 0) return null;
  const raw = region.toString('latin1');
  for (const m of ZIP_MARKERS) if (raw.includes(m)) return 'an archive (ZIP/JAR)';
  const lower = raw.toLowerCase();
  for (const m of TEXT_MARKERS) if (lower.includes(m)) return m === '%pdf-' ? 'a PDF' : `web content (${m})`;
  return null;
}

/** Describes a refused format for the message; never relied on for a decision. */
function describe(bytes: Buffer): string {
  const head = bytes.subarray(0, 512).toString('latin1');
  const lower = head.trimStart().toLowerCase();
  if (head.startsWith('GIF8')) return 'a GIF image';
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return 'a WebP image';
  if (head.startsWith('BM')) return 'a BMP image';
  if (head.startsWith('II*\x00') || head.startsWith('MM\x00*')) return 'a TIFF image';
  if (head.startsWith('PK\x03\x04')) return 'an archive or Office document';
  if (head.startsWith('MZ') || head.startsWith('\x7fELF')) return 'a program';
  if (lower.startsWith('<svg') || lower.includes('<svg')) return 'an SVG drawing';
  if (lower.startsWith('<') || lower.startsWith('\ufeff<')) return 'HTML or XML';
  if (head.slice(4, 12).startsWith('ftyp')) return 'a HEIC/HEIF or video file';
  return 'of another type';
}

/**
 * Detects the type by magic bytes and checks the whole file. Throws AppError:
 * `upload_malformed` (empty, truncated, damaged), `upload_type_refused` (not PDF/JPEG/PNG),
 * `upload_unsafe` (polyglot, scripts, attachments, encryption, data after the end),
 * `upload_too_large` (pixel flood).
 */
export function inspectFile(bytes: Buffer): Inspection {
  if (bytes.length === 0) throw new AppError('upload_malformed', 'The file is empty.');
  let result: Inspection;
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    result = inspectPdf(bytes);
  } else if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    result = inspectJpeg(bytes);
  } else if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    result = inspectPng(bytes);
  } else {
    throw new AppError(
      'upload_type_refused',
      `Only PDF, JPEG and PNG files are accepted; judged by its content, this file is ${describe(bytes)}.`,
    );
  }
  // Readers that look for a ZIP end record near the end, or a PDF header in the first kilobyte,
  // would see a second format.
  if (bytes.subarray(Math.max(0, bytes.length - 65_557)).includes('PK\x05\x06', 0, 'latin1')) {
    throw unsafe('an archive (ZIP/JAR) is attached to it');
  }
  if (result.mediaType !== 'application/pdf' && bytes.subarray(0, 1024).includes('%PDF-', 0, 'latin1')) {
    throw unsafe('it is also a PDF');
  }
  return result;
}

function checkPixels(width: number, height: number): void {
  if (width === 0 || height === 0) throw malformed('the image has no size');
  if (width * height > MAX_PIXELS) {
    throw new AppError(
      'upload_too_large',
      `The image has ${Math.round((width * height) / 1e6)} million pixels; at most ${MAX_PIXELS / 1e6} million are accepted. Scan at a lower resolution.`,
    );
  }
}

// ---------------------------------------------------------------- JPEG

const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function inspectJpeg(b: Buffer): Inspection {
  let pos = 2;
  let size: { width: number; height: number } | null = null;
  for (;;) {
    if (pos >= b.length) throw malformed('the image ends before its end marker');
    if (b[pos] !== 0xff) throw malformed('unexpected bytes between image segments');
    while (pos < b.length && b[pos] === 0xff) pos++; // fill bytes
    if (pos >= b.length) throw malformed('the image ends before its end marker');
    const marker = b[pos++]!;
    if (marker === 0xd9) {
      if (pos !== b.length) throw unsafe('data is hidden after the end of the image');
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // markers without a length
    if (marker === 0xd8 || marker === 0x00) throw malformed('an unexpected marker');
    if (pos + 2 > b.length) throw malformed('a segment is cut off');
    const length = b.readUInt16BE(pos);
    if (length < 2 || pos + length > b.length) throw malformed('a segment is cut off');
    const segment = b.subarray(pos + 2, pos + length);
    pos += length;
    if (isSof(marker)) {
      if (segment.length < 5) throw malformed('the frame header is too short');
      size = { height: segment.readUInt16BE(1), width: segment.readUInt16BE(3) };
      checkPixels(size.width, size.height);
    } else if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) {
      // Metadata (EXIF, XMP, ICC, comments): the place for a hidden second format or script.
      const found = markerIn(segment);
      if (found !== null) throw unsafe(`its metadata contains ${found}`);
    }
    if (marker === 0xda) {
      if (size === null) throw malformed('image data comes before the frame header');
      // Entropy-coded data: 0xFF is always followed by 0x00 (stuffing) or a restart marker,
      // until the next real marker.
      for (;;) {
        const ff = b.indexOf(0xff, pos);
        if (ff < 0 || ff + 1 >= b.length) throw malformed('the image ends before its end marker');
        const next = b[ff + 1]!;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          pos = ff + 2;
          continue;
        }
        if (next === 0xff) {
          pos = ff + 1;
          continue;
        }
        pos = ff;
        break;
      }
    }
  }
  if (size === null) throw malformed('the image has no frame header');
  return { mediaType: 'image/jpeg', ...size };
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_DEPTHS: Readonly<Record<number, readonly number[]>> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

function inspectPng(b: Buffer): Inspection {
  let pos = 8;
  let size: { width: number; height: number } | null = null;
  let sawData = false;
  for (;;) {
    if (pos + 12 > b.length) throw malformed('the image ends before its end chunk');
    const length = b.readUInt32BE(pos);
    if (length > 0x7fffffff || pos + 12 + length > b.length) throw malformed('a chunk is cut off');
    const type = b.subarray(pos + 4, pos + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformed('a chunk has an invalid name');
    const data = b.subarray(pos + 8, pos + 8 + length);
    if (crc32(b.subarray(pos + 4, pos + 8 + length)) !== b.readUInt32BE(pos + 8 + length)) {
      throw malformed(`the ${type} chunk fails its checksum`);
    }
    pos += 12 + length;
    if (size === null) {
      if (type !== 'IHDR' || length !== 13) throw malformed('the image header (IHDR) is missing');
      const width = data.readUInt32BE(0);
      const height = data.readUInt32BE(4);
      const depth = data[8]!;
      const colour = data[9]!;
      if (width > 0x7fffffff || height > 0x7fffffff) throw malformed('the image header is invalid');
      if (!(PNG_DEPTHS[colour] ?? []).includes(depth) || data[10] !== 0 || data[11] !== 0 || data[12]! > 1) {
        throw malformed('the image header is invalid');
      }
      size = { width, height };
      checkPixels(width, height);
      continue;
    }
    if (type === 'IHDR') throw malformed('a second image header');
    if (type === 'IEND') {
      if (length !== 0) throw malformed('the end chunk is invalid');
      if (pos !== b.length) throw unsafe('data is hidden after the end of the image');
      break;
    }
    if (type === 'IDAT') {
      sawData = true;
      continue;
    }
    const found = markerIn(data);
    if (found !== null) throw unsafe(`its ${type} chunk contains ${found}`);
  }
  if (!sawData) throw malformed('the image has no pixel data');
  return { mediaType: 'image/png', ...size };
}

// ---------------------------------------------------------------- PDF

/**
 * Names that make a PDF do something besides showing pages: run scripts, start programs, carry
 * attachments or forms that submit data, open other files, or hide content by encryption.
 */
const ACTIVE_PDF_NAMES: Readonly<Record<string, string>> = {
  JavaScript: 'it contains JavaScript',
  JS: 'it contains JavaScript',
  Launch: 'it can start programs (Launch action)',
  EmbeddedFile: 'it carries attached files',
  EmbeddedFiles: 'it carries attached files',
  FileAttachment: 'it carries attached files',
  RichMedia: 'it contains embedded media (RichMedia)',
  XFA: 'it contains an XFA form',
  SubmitForm: 'it contains a form that sends data',
  ImportData: 'it contains an action that imports data',
  GoToR: 'it links to other files (GoToR)',
  GoToE: 'it links to embedded files (GoToE)',
  Encrypt: 'it is encrypted or password-protected, so it cannot be checked',
};
const PDF_WHITESPACE = /^[\0\t\n\f\r ]*$/;
const NAME = /\/([^\0\t\n\f\r ()<>[\]{}/%]*)/g;

/** The PDF names in a piece of PDF syntax, with `#xx` escapes decoded (`/J#61vaScript`). */
function namesIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(NAME)) {
    out.add(m[1]!.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  }
  return out;
}

function checkNames(text: string): void {
  for (const name of namesIn(text)) {
    const why = ACTIVE_PDF_NAMES[name];
    if (why !== undefined) throw unsafe(why);
  }
}

const STREAM_FILTERS = new Set([
  'FlateDecode',
  'ASCIIHexDecode',
  'ASCII85Decode',
  'LZWDecode',
  'RunLengthDecode',
  'CCITTFaxDecode',
  'JBIG2Decode',
  'DCTDecode',
  'JPXDecode',
  'Crypt',
  'Fl',
  'AHx',
  'A85',
  'LZW',
  'RL',
  'CCF',
  'DCT',
]);

/** Names long enough to look for anywhere in the file, stream data included, without false alarms. */
const LONG_ACTIVE_NAMES = Object.keys(ACTIVE_PDF_NAMES).filter((n) => n.length >= 6);
const LONG_NAME = /\/([A-Za-z0-9#]{6,40})(?![A-Za-z0-9#])/g;

function inspectPdf(b: Buffer): Inspection {
  const text = b.toString('latin1');
  if (!/^%PDF-[12]\.\d/.test(text)) throw malformed('the PDF header is invalid');
  const eof = text.lastIndexOf('%%EOF');
  if (eof < 0 || eof < text.length - 1024) throw malformed('the PDF has no end marker (%%EOF)');
  if (!PDF_WHITESPACE.test(text.slice(eof + 5))) throw unsafe('data is hidden after the end of the PDF');

  // 1. The long action names anywhere, also inside what only looks like stream data.
  for (const m of text.matchAll(LONG_NAME)) {
    const name = m[1]!.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (LONG_ACTIVE_NAMES.includes(name)) throw unsafe(ACTIVE_PDF_NAMES[name]!);
  }

  // 2. Every name in the syntax (dictionaries, trailers) and in every object stream, where
  // compressed objects (and so actions) may hide. A stream starts at "stream" after a dictionary's
  // ">>" and an end-of-line, and ends at "endstream".
  let syntax = '';
  let pos = 0;
  let inflated = 0;
  const streamKeyword = />>[\0\t\n\f\r ]*stream(\r\n|\n|\r)/g;
  for (;;) {
    streamKeyword.lastIndex = pos;
    const m = streamKeyword.exec(text);
    if (m === null) break;
    const at = m.index;
    const start = at + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) throw malformed('a stream has no end');
    const dictionary = text.slice(Math.max(pos, text.lastIndexOf(' obj', at)), start);
    syntax += text.slice(pos, start);
    const names = namesIn(dictionary);
    if (names.has('ObjStm')) {
      let data = b.subarray(start, end);
      // The end-of-line before "endstream" is not part of the data.
      if (data.at(-1) === 0x0a) data = data.subarray(0, -1);
      if (data.at(-1) === 0x0d) data = data.subarray(0, -1);
      const filters = [...names].filter((n) => STREAM_FILTERS.has(n));
      if (names.has('DecodeParms') || names.has('DP') || filters.some((f) => f !== 'FlateDecode' && f !== 'Fl')) {
        throw unsafe('it contains compressed objects in a form that cannot be checked');
      }
      const plain = filters.length === 0 ? data : inflate(data, MAX_INFLATED_BYTES - inflated);
      inflated += plain.length;
      checkNames(plain.toString('latin1'));
    }
    pos = end + 9;
  }
  syntax += text.slice(pos);
  checkNames(syntax);
  return { mediaType: 'application/pdf' };
}

function inflate(data: Buffer, budget: number): Buffer {
  const options = { maxOutputLength: Math.max(1, budget) };
  try {
    return inflateSync(data, options);
  } catch (err) {
    if (err instanceof RangeError) throw unsafe('its compressed objects expand to an excessive size');
    try {
      // Some writers leave the compressed data unterminated; what is there is still checked.
      return inflateSync(data, { ...options, finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch (again) {
      if (again instanceof RangeError) throw unsafe('its compressed objects expand to an excessive size');
      throw malformed('a compressed object stream cannot be read');
    }
  }
}
