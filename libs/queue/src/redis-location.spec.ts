import { clusterLocation, describeRedisLocation, hasHashTag, parseClusterNodes, parseRedisLocation } from './redis-location';

describe('parseRedisLocation', () => {
  it.each([
    ['redis://localhost:6379', { kind: 'standalone', url: 'redis://localhost:6379' }],
    ['rediss://:secret@cache.internal:6380/2', { kind: 'standalone', url: 'rediss://:secret@cache.internal:6380/2' }],
    ['redis+cluster://10.0.0.1:7000,10.0.0.2:7001', { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }], username: undefined, password: undefined, tls: false }],
    ['rediss+cluster://app:p%40ss@a.example:7000/', { kind: 'cluster', nodes: [{ host: 'a.example', port: 7000 }], username: 'app', password: 'p@ss', tls: true }],
    ['redis+cluster://:pw@[::1]:7000/0', { kind: 'cluster', nodes: [{ host: '::1', port: 7000 }], username: undefined, password: 'pw', tls: false }],
  ])('reads %s', (location, expected) => {
    expect(parseRedisLocation(location)).toEqual(expected);
  });

  it.each([
    ['http://localhost:6379', /must start with redis:\/\//],
    ['redis+cluster://a:7000/3', /database 0 only/],
    ['redis+cluster://a:7000,b', /"b" is not host:port/],
    ['redis+cluster://a:70000', /"a:70000" is not host:port/],
  ])('refuses %s, saying why', (location, message) => {
    expect(() => parseRedisLocation(location)).toThrow(message);
  });
});

describe('cluster nodes and prefixes', () => {
  it('turns a node list into the location REDIS_URL takes, and back', () => {
    const location = clusterLocation(' 10.0.0.1:7000, 10.0.0.2:7001 ,');
    expect(location).toBe('redis+cluster://10.0.0.1:7000,10.0.0.2:7001');
    expect(parseClusterNodes('10.0.0.1:7000,10.0.0.2:7001')).toEqual((parseRedisLocation(location) as { nodes: unknown }).nodes);
    expect(() => parseClusterNodes(' , ')).toThrow(/at least one host:port/);
  });

  it('describes a location without its password', () => {
    expect(describeRedisLocation('redis+cluster://:hunter2@a:7000,b:7001')).toBe('Redis Cluster at a:7000,b:7001');
    expect(describeRedisLocation('redis://:hunter2@cache:6380')).toBe('Redis at cache:6380');
  });

  it.each([['{amc}', true], ['amc:{e2e-1}', true], ['amc', false], ['{}amc', false]])('%s has a hash tag: %s', (prefix, expected) => {
    expect(hasHashTag(prefix)).toBe(expected);
  });
});
