/** How long the object URL outlives the click; the download has long taken hold of the Blob by then. */
export const REVOKE_DELAY_MS = 1000;

/**
 * Saves `text` as a UTF-8 file (with BOM, so that older Windows editors show Chinese correctly).
 * The Blob's object URL exists only for this download: created on the click, revoked right after.
 */
export function downloadTextFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
  }
}
