import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The Chinese font of every PDF MedLedger prints (delivery slips, GSP ledgers). */

// ---------------------------------------------------------------------------------------------
// Font: Noto Sans CJK SC (SIL OFL 1.1) from the @embedpdf/fonts-sc package, read once per process.

const FONT_PACKAGE = '@embedpdf/fonts-sc';
const FONT_FILES = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' } as const;
let fontCache: { regular: Buffer; bold: Buffer } | undefined;

export function loadCjkFonts(): { regular: Buffer; bold: Buffer } {
  if (fontCache) return fontCache;
  let dir: string;
  try {
    // The package exports only its index; the font files sit in ../fonts next to dist/.
    dir = path.join(path.dirname(createRequire(import.meta.url).resolve(FONT_PACKAGE)), '..', 'fonts');
  } catch (err) {
    throw new Error(
      `The Chinese font package ${FONT_PACKAGE} is not installed, so PDFs (delivery slips, ledgers) cannot be printed; run npm ci.`,
      { cause: err },
    );
  }
  const read = (file: string) => {
    try {
      return readFileSync(path.join(dir, file));
    } catch (err) {
      throw new Error(`The Chinese font ${file} is missing from ${dir}; reinstall ${FONT_PACKAGE} (npm ci).`, {
        cause: err,
      });
    }
  };
  fontCache = { regular: read(FONT_FILES.regular), bold: read(FONT_FILES.bold) };
  return fontCache;
}
