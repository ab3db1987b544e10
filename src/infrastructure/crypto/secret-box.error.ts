/**
 * A secret box could not be opened or built. Messages name the cause (format, key id,
 * authentication) but never include plaintext or key material.
 */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}
