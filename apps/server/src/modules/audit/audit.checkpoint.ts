import { createHash } from 'node:crypto';

/**
 * C2SP tlog-checkpoint notes, signed per C2SP signed-note with Ed25519 (signature type 0x01).
 * The writer's copy; the offline verifier parses notes with its own code.
 */

export function checkpointBody(origin: string, size: number, root: Buffer): string {
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

export function keyIdOf(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, 0x01]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function signCheckpoint(
  body: string,
  signer: { keyName: string; publicKey: Buffer; sign: (m: Buffer) => Buffer },
): string {
  const signature = signer.sign(Buffer.from(body, 'utf8'));
  const blob = Buffer.concat([keyIdOf(signer.keyName, signer.publicKey), signature]).toString('base64');
  return `${body}\n\u2014 ${signer.keyName} ${blob}\n`;
}

/** Splits a note into its body and parsed first three lines; null when it is not a checkpoint. */
export function readCheckpoint(note: string): { body: string; origin: string; size: number; root: Buffer } | null {
  const split = note.indexOf('\n\n');
  if (split < 0) return null;
  const body = note.slice(0, split + 1);
  const lines = body.split('\n');
  if (lines.length < 4) return null;
  const [origin, sizeText, rootText] = lines;
  if (origin === undefined || sizeText === undefined || rootText === undefined) return null;
  if (!/^(0|[1-9]\d{0,15})$/.test(sizeText)) return null;
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) return null;
  return { body, origin, size: Number(sizeText), root };
}
