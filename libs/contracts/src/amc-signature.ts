import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = 'missing_signature' | 'malformed_signature' | 'timestamp_out_of_tolerance' | 'signature_mismatch';

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailure };

export interface SignatureOptions {
  /** The current secret first, then older ones still accepted during rotation. */
  secrets: readonly string[];
  toleranceSeconds: number;
  nowSeconds?: number;
}

/** `t=<unix seconds>,v1=<hex>[,v1=<hex>…]` → its parts, or null when it is not that shape. */
export function parseSignatureHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) return null;
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  return timestamp !== null && signatures.length > 0 ? { timestamp, signatures } : null;
}

export function signPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Verifies X-AMC-Signature over the raw bytes, in constant time per comparison, within the
 * tolerance both ways (a clock ahead of ours is as suspicious as a replay from the past).
 */
export function verifyAmcSignature(header: string | undefined, rawBody: Buffer, options: SignatureOptions): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing_signature' };
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed_signature' };
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - parsed.timestamp) > options.toleranceSeconds) return { ok: false, reason: 'timestamp_out_of_tolerance' };
  let matched = false;
  for (const secret of options.secrets) {
    const expected = Buffer.from(signPayload(secret, parsed.timestamp, rawBody), 'hex');
    for (const candidate of parsed.signatures) {
      // No early exit: every pair is compared so timing says nothing about which matched.
      if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) matched = true;
    }
  }
  return matched ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: 'signature_mismatch' };
}

/** The header value a sender (the AMC pipeline, the CLI, tests) puts on a request. */
export function buildSignatureHeader(secret: string, rawBody: Buffer | string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, rawBody)}`;
}
