import type { LookupAddress } from 'node:dns';
import { checkOutboundUrl, guardedLookup, OutboundRefusedError, parseOutboundAllowlist, refusalOf } from './ssrf-guard';

const none = parseOutboundAllowlist([]);

describe('refusalOf', () => {
  it.each([
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['192.168.1.1', 'private'], ['127.0.0.1', 'loopback'], ['127.9.9.9', 'loopback'],
    ['169.254.169.254', 'link-local'], ['0.0.0.0', 'unspecified'], ['100.64.0.1', 'carrier-grade NAT'], ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'], ['192.0.2.1', 'reserved'], ['::1', 'loopback'], ['::', 'unspecified'], ['fe80::1', 'link-local'],
    ['fd00::1', 'unique-local'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:10.0.0.1', 'private'], ['64:ff9b::a00:1', 'NAT64'],
    ['2002:a00:1::', '6to4'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(refusalOf(address, none)).toContain(kind);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('lets public %s through', (address) => {
    expect(refusalOf(address, none)).toBeNull();
  });

  it('lets an allow-listed range through, and only that range', () => {
    const policy = parseOutboundAllowlist(['10.8.0.0/16']);
    expect(refusalOf('10.8.3.4', policy)).toBeNull();
    expect(refusalOf('10.9.0.1', policy)).toContain('private');
  });
});

describe('checkOutboundUrl', () => {
  it.each([
    ['ftp://example.com/x', 'ftp:'],
    ['http://example.com/hook', 'must be https'],
    ['https://user:pw@example.com/', 'credentials'],
    ['https://127.0.0.1/', 'loopback'],
    ['https://2130706433/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://[::ffff:169.254.169.254]/', 'link-local'],
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://localhost:8443/', 'localhost'],
    ['https://api.localhost/', 'localhost'],
    ['not a url', 'not a URL'],
  ])('refuses %s', (url, reason) => {
    expect(() => checkOutboundUrl(url, none)).toThrow(OutboundRefusedError);
    expect(() => checkOutboundUrl(url, none)).toThrow(reason);
  });

  it('accepts a public https URL, leaving the name to be checked when it resolves', () => {
    expect(checkOutboundUrl('https://hooks.example.com/x', none)).toMatchObject({ exempt: false });
  });

  it('exempts an allow-listed host:port (http allowed), not the same host on another port', () => {
    const policy = parseOutboundAllowlist(['127.0.0.1:4000']);
    expect(checkOutboundUrl('http://127.0.0.1:4000/hook', policy).exempt).toBe(true);
    expect(() => checkOutboundUrl('http://127.0.0.1:4001/hook', policy)).toThrow('must be https');
    expect(() => checkOutboundUrl('https://127.0.0.1:4001/hook', policy)).toThrow('loopback');
  });
});

describe('guardedLookup', () => {
  const lookup = (addresses: string[], options: { all?: boolean } = {}) => new Promise<{ error: Error | null; result: unknown }>((resolve) => {
    const resolver = async (): Promise<LookupAddress[]> => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    guardedLookup(none, resolver)('hooks.example.com', options, (error, result) => resolve({ error, result }));
  });

  it('answers with the checked addresses when every one is public', async () => {
    expect(await lookup(['93.184.216.34'])).toEqual({ error: null, result: '93.184.216.34' });
    const all = await lookup(['93.184.216.34', '2606:2800:220:1::1'], { all: true });
    expect(all.error).toBeNull();
    expect(all.result).toHaveLength(2);
  });

  it('refuses the connection when any address of the name is not public (DNS rebinding to an internal host)', async () => {
    const { error } = await lookup(['93.184.216.34', '10.0.0.7'], { all: true });
    expect(error).toBeInstanceOf(OutboundRefusedError);
    expect(error?.message).toBe('refused: hooks.example.com resolves to 10.0.0.7, a private (RFC 1918) address');
  });
});
