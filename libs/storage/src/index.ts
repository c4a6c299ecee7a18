export { assertSafeKey, ObjectNotFoundError, type ObjectStorage, type PendingWrite, type StoredObject } from './object-storage';
export { LocalDirectoryStorage } from './local-directory-storage';
