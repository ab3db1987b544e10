export { FILE_STORAGE, InjectFileStorage } from './file-storage';
export type { FileStorage, PutOptions, StoredFile, StoredFileContent, StoredFileStream } from './file-storage';
export { LocalFileStorage, DEFAULT_MAX_FILE_BYTES } from './local-file-storage';
export type { LocalFileStorageOptions } from './local-file-storage';
export { FileTooLargeError, InvalidStorageKeyError, StoredFileNotFoundError } from './storage.errors';
export { StorageModule } from './storage.module';
