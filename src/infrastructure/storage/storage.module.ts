import { Global, Module } from '@nestjs/common';
import { appEnv } from '../../config/app-config';
import { FILE_STORAGE } from './file-storage';
import { LocalFileStorage } from './local-file-storage';

/** FileStorage for every module, injected with @InjectFileStorage() (token FILE_STORAGE). */
@Global()
@Module({
  providers: [{ provide: FILE_STORAGE, useFactory: () => new LocalFileStorage({ root: appEnv().STORAGE_DIR }) }],
  exports: [FILE_STORAGE],
})
export class StorageModule {}
