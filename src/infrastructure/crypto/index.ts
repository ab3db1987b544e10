export { CryptoModule } from './crypto.module';
export { SecretBox, SECRET_BOX_KEYS, keyIdOf } from './secret-box';
export { SecretBoxError } from './secret-box.error';
export { maskSecret } from './mask-secret';
