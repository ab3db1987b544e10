import { Global, Module } from '@nestjs/common';
import { SecretBox } from './secret-box';

/** One SecretBox (keys from ENCRYPTION_KEY) for every module that stores secrets. */
@Global()
@Module({ providers: [SecretBox], exports: [SecretBox] })
export class CryptoModule {}
