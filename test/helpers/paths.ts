import { fileURLToPath } from 'node:url';

/**
 * The project's root folder (with `/` at the end). `npm test` runs compiled copies of the test and source
 * files from node_modules/.cache/registrar-test/js-<pid>/ (scripts/test.mjs) and names the real root in
 * REGISTRAR_PROJECT_ROOT; run from the sources (tsx), this file's own location tells.
 */
export const projectRoot: string =
  process.env.REGISTRAR_PROJECT_ROOT ?? fileURLToPath(new URL('../../', import.meta.url));
