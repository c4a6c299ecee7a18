import { SetMetadata } from '@nestjs/common';

export const ALLOW_QUERY_TOKEN = 'amc:allow-query-token';

/**
 * EventSource cannot send headers, so the SSE route alone also takes `?access_token=`. Everywhere
 * else a token in the URL (logged by proxies, kept in browser history) is refused.
 */
export const AllowQueryToken = (): MethodDecorator => SetMetadata(ALLOW_QUERY_TOKEN, true);
