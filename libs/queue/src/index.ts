export {
  producerConnectionOptions, workerConnectionOptions, createRedisClient, pingRedis, checkRedisPolicy, type RedisClient,
} from './redis-connection';
export {
  parseRedisLocation, parseClusterNodes, clusterLocation, isClusterLocation, describeRedisLocation, hasHashTag, type RedisLocation, type RedisNode,
} from './redis-location';
