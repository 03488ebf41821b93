/** One field-level problem reported in `error.details`. */
export interface ErrorDetail {
  field?: string;
  message: string;
  [k: string]: unknown;
}

/** An error that is safe to show to the client: status, stable machine code, human message. */
export class AppError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly details: ErrorDetail[] = [],
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = [], code = 'validation_failed') =>
  new AppError(400, code, message, details);
export const unauthenticated = (message = 'Authentication required', code = 'unauthenticated') =>
  new AppError(401, code, message);
export const forbidden = (message = 'You do not have permission to perform this action') =>
  new AppError(403, 'forbidden', message);
export const notFound = (entity = 'Resource') => new AppError(404, 'not_found', `${entity} not found`);
export const conflict = (message: string, code = 'conflict', details: ErrorDetail[] = []) =>
  new AppError(409, code, message, details);
/** A named business rule was violated (422), e.g. `class_full`, `prerequisite_not_met`. */
export const businessRule = (code: string, message: string, details: ErrorDetail[] = []) =>
  new AppError(422, code, message, details);
export const tooManyRequests = (message = 'Too many requests, slow down', retryAfterSeconds?: number) =>
  new AppError(
    429,
    'rate_limited',
    message,
    [],
    retryAfterSeconds ? { 'retry-after': String(retryAfterSeconds) } : {},
  );
export const payloadTooLarge = (message = 'Payload too large') =>
  new AppError(413, 'payload_too_large', message);
export const unsupportedMediaType = (message = 'Unsupported media type') =>
  new AppError(415, 'unsupported_media_type', message);
export const unavailable = (message = 'Service temporarily unavailable') =>
  new AppError(503, 'unavailable', message);
