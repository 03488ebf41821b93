import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type BuildValidator = NonNullable<CompilersFactory['buildValidator']>;
type BuildSerializer = NonNullable<CompilersFactory['buildSerializer']>;
type Validate = ReturnType<ReturnType<BuildValidator>>;

// One validator factory for the whole process: Fastify would make one per app, and Ajv caches a compiled
// schema by the schema object, so apps of one process (tests, a cluster worker restarted in place) share
// the compiled validators of the same route schemas.
const sharedValidators = AjvCompiler();
const sharedSerializers = SerializerSelector();

/**
 * How route schemas are compiled: `eager` compiles every validator and serializer when the app starts (the
 * default: a broken schema stops the start), `lazy` compiles each the first time its route is used. The
 * compilers are Fastify's own (`@fastify/ajv-compiler`, `@fastify/fast-json-stringify-compiler`) with the
 * app's Ajv options either way; laziness only moves the work. The test suite runs lazy: each test file starts
 * several apps and calls a few of their ~400 routes, and compiling all of them was two thirds of an app's
 * start (test/schemas-compile.test.ts proves every schema still compiles eagerly).
 *
 * Fastify lowercases header schemas' property names only for its built-in compiler; ours already name
 * headers in lowercase, as `request.headers` does.
 */
export function schemaCompilers(mode: 'eager' | 'lazy'): CompilersFactory {
  const buildValidator: BuildValidator = (externalSchemas, options) => {
    const compile = sharedValidators(externalSchemas, options);
    if (mode === 'eager') return compile;
    return (route) => {
      let fn: Validate | undefined;
      // Fastify reads `errors` off the validator after a failed call, as Ajv sets it on its functions.
      const lazy = ((data: unknown) => {
        fn ??= compile(route);
        const result = fn(data);
        lazy.errors = fn.errors;
        return result;
      }) as Validate;
      return lazy;
    };
  };
  const buildSerializer: BuildSerializer = (externalSchemas, options) => {
    const compile = sharedSerializers(externalSchemas, options);
    if (mode === 'eager') return compile;
    return (route) => {
      let fn: ((doc: unknown) => string) | undefined;
      return (doc: unknown) => {
        fn ??= compile(route);
        return fn(doc);
      };
    };
  };
  return { buildValidator, buildSerializer };
}
