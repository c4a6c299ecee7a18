import { createHmac } from 'node:crypto';
import { buildSignatureHeader, parseSignatureHeader, verifyAmcSignature } from './amc-signature';

const secret = 'whsec-current-0123456789';
const body = Buffer.from('{"eventId":"e1"}');
const now = 1_800_000_000;
const options = { secrets: [secret], toleranceSeconds: 300, nowSeconds: now };
const hmac = (key: string, t: number, raw: Buffer) => createHmac('sha256', key).update(`${t}.${raw.toString()}`).digest('hex');

describe('verifyAmcSignature', () => {
  it('accepts an HMAC-SHA256 of "t.body" computed independently', () => {
    expect(verifyAmcSignature(`t=${now},v1=${hmac(secret, now, body)}`, body, options)).toEqual({ ok: true, timestamp: now });
  });

  it.each([
    ['no header', undefined, 'missing_signature'],
    ['garbage', 'nonsense', 'malformed_signature'],
    ['no v1', `t=${now}`, 'malformed_signature'],
    ['short hex', `t=${now},v1=abcd`, 'malformed_signature'],
    ['301 s old', `t=${now - 301},v1=${hmac(secret, now - 301, body)}`, 'timestamp_out_of_tolerance'],
    ['301 s in the future', `t=${now + 301},v1=${hmac(secret, now + 301, body)}`, 'timestamp_out_of_tolerance'],
    ['wrong secret', `t=${now},v1=${hmac('another-secret-value', now, body)}`, 'signature_mismatch'],
    ['signature of another body', `t=${now},v1=${hmac(secret, now, Buffer.from('{}'))}`, 'signature_mismatch'],
    ['timestamp swapped after signing', `t=${now - 1},v1=${hmac(secret, now, body)}`, 'signature_mismatch'],
  ])('rejects %s', (_label, header, reason) => {
    expect(verifyAmcSignature(header, body, options)).toEqual({ ok: false, reason });
  });

  it('accepts exactly at the 300 s edge, both ways', () => {
    for (const t of [now - 300, now + 300]) expect(verifyAmcSignature(`t=${t},v1=${hmac(secret, t, body)}`, body, options).ok).toBe(true);
  });

  it('accepts any of several v1 values and any configured secret (rotation)', () => {
    const old = 'whsec-previous-0123456789';
    const header = `t=${now},v1=${'0'.repeat(64)},v1=${hmac(old, now, body)}`;
    expect(verifyAmcSignature(header, body, options).ok).toBe(false);
    expect(verifyAmcSignature(header, body, { ...options, secrets: [secret, old] }).ok).toBe(true);
  });

  it('round-trips with buildSignatureHeader and parses the header shape', () => {
    const header = buildSignatureHeader(secret, body, now);
    expect(parseSignatureHeader(header)).toEqual({ timestamp: now, signatures: [hmac(secret, now, body)] });
    expect(verifyAmcSignature(header, body, options).ok).toBe(true);
  });
});
