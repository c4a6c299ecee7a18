export { mintUserToken, type UserTokenOptions } from './user-token';
export { createTokenVerifier, InvalidTokenError, type AuthenticatedUser, type InvalidTokenReason, type TokenVerifierOptions } from './verify-user-token';
export { adminTokenMatches, bearerToken, looksLikeJwt } from './admin-token';
