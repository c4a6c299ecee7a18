export {
  checkOutboundUrl, guardedLookup, parseOutboundAllowlist, refusalOf, OutboundRefusedError, EMPTY_POLICY,
  type CheckedUrl, type OutboundPolicy, type Resolver,
} from './ssrf-guard';
export { OutboundHttp, retryAfterMs, type OutboundHttpOptions, type OutboundResponse } from './outbound-http';
