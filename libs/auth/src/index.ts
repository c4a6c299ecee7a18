export { mintUserToken, type UserTokenOptions } from './user-token';
export { createTokenVerifier, InvalidTokenError, type AuthenticatedUser, type TokenVerifierOptions } from './verify-user-token';
