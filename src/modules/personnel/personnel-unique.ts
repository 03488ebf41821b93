// A unique violation as a 409 naming the field and the value that collided: the kernel's one mapping.
export { rethrowUnique } from '../../kernel/error-handler.js';
