export { producerConnectionOptions, workerConnectionOptions, createRedisClient, pingRedis, checkRedisPolicy } from './redis-connection';
