import { hash, verify } from '@node-rs/argon2';

// OWASP-recommended argon2id parameters (19 MiB, 2 iterations).
const STANDARD = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 };
// The test suite's throw-away accounts only (config refuses it outside NODE_ENV=test).
const FAST = { algorithm: 2 /* Argon2id */, memoryCost: 64, timeCost: 1, parallelism: 1 };
let options = STANDARD;

/**
 * Chooses the cost of new hashes for this process (buildApp applies `config.passwordHashing`). A hash
 * carries its own parameters, so verification works whichever cost made it.
 */
export function usePasswordHashing(mode: 'standard' | 'fast') {
  options = mode === 'fast' ? FAST : STANDARD;
  dummyHash = null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies a password; with no stored hash it still spends the same time on a dummy hash so response times
 * do not reveal whether an account exists.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword('registrar-dummy-password-for-timing');
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
