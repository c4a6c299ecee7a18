export { mintUserToken, type UserTokenOptions } from './user-token';
