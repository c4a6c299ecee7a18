export { assertSafeKey, ObjectNotFoundError, type ObjectStorage, type PendingWrite, type StoredObject } from './object-storage';
export { LocalDirectoryStorage } from './local-directory-storage';
export { S3ObjectStorage, type S3StorageOptions } from './s3-object-storage';
export {
  createObjectStorage, createS3Client, exportStorageSettings, type ExportStorageEnv, type ObjectStorageSettings,
} from './create-object-storage';
export { ProcessScratch, scratchRoot, ownerTag, isDeadOwner, isLiveLocalOwner } from './process-scratch';
