import { ConfigError, loadEnv, parseDotenv, validateEnv } from './load-env';

const key = Buffer.alloc(32, 7).toString('base64');

describe('environment validation', () => {
  it('refuses to start in production without ENCRYPTION_KEY and names it', () => {
    expect(() => loadEnv({ NODE_ENV: 'production', JWT_SECRET: 's' })).toThrow(/ENCRYPTION_KEY is required/);
  });

  it('refuses to start in production without JWT_SECRET and names it', () => {
    expect(() => loadEnv({ NODE_ENV: 'production', ENCRYPTION_KEY: key })).toThrow(/JWT_SECRET is required/);
  });

  it('ignores .env.example in production so dev keys never leak into it', () => {
    try {
      loadEnv({ NODE_ENV: 'production' }, process.cwd());
      fail('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.join()).toMatch(/ENCRYPTION_KEY/);
      expect((e as ConfigError).problems.join()).toMatch(/JWT_SECRET/);
    }
  });

  it('takes development defaults from .env.example', () => {
    const env = loadEnv({ NODE_ENV: 'development' }, process.cwd());
    expect(env.PORT).toBe(3000);
    expect(env.APP_ROLE).toBe('all');
    expect(env.ENCRYPTION_KEY).toBeTruthy();
    expect(env.OUTBOUND_MAX_ATTEMPTS).toBe(8);
  });

  it('lets the real environment win over file defaults and coerces types', () => {
    const env = loadEnv({ NODE_ENV: 'development', PORT: '4100', SANDBOX: 'true' }, process.cwd());
    expect(env.PORT).toBe(4100);
    expect(env.SANDBOX).toBe(true);
  });

  it('binds to 127.0.0.1 outside production and 0.0.0.0 in production unless HOST says otherwise', () => {
    expect(loadEnv({ NODE_ENV: 'development' }, process.cwd()).HOST).toBe('127.0.0.1');
    expect(validateEnv({ NODE_ENV: 'production', ENCRYPTION_KEY: key, JWT_SECRET: 'x' }).HOST).toBe('0.0.0.0');
    expect(loadEnv({ NODE_ENV: 'development', HOST: '0.0.0.0' }, process.cwd()).HOST).toBe('0.0.0.0');
    expect(validateEnv({ NODE_ENV: 'production', ENCRYPTION_KEY: key, JWT_SECRET: 'x', HOST: '10.0.0.5' }).HOST).toBe('10.0.0.5');
  });

  it('rejects malformed values with the variable name', () => {
    expect(() => validateEnv({ ENCRYPTION_KEY: key, JWT_SECRET: 'x', APP_ROLE: 'both' })).toThrow(/APP_ROLE/);
    expect(() => validateEnv({ ENCRYPTION_KEY: 'short', JWT_SECRET: 'x' })).toThrow(/ENCRYPTION_KEY must be/);
    expect(() => validateEnv({ ENCRYPTION_KEY: key, JWT_SECRET: 'x', PORT: 'abc' })).toThrow(/PORT/);
  });

  it('accepts a comma list of keys for rotation', () => {
    expect(validateEnv({ ENCRYPTION_KEY: `${key},${key}`, JWT_SECRET: 'x' }).ENCRYPTION_KEY).toContain(',');
  });

  it('parses dotenv lines with quotes and comments', () => {
    expect(parseDotenv('# c\nA=1\nB="two words"\n\nC=')).toEqual({ A: '1', B: 'two words', C: '' });
  });
});
