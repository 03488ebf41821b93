import { AppError } from '../../kernel/errors.js';

/** The binding's code minor values this provider reports. */
export type CodeMinor =
  | 'invalid_filter_field'
  | 'invalid_selection_field'
  | 'invaliddata'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'unknownobject'
  | 'server_busy'
  | 'internal_server_error';

const MINORS = new Set<string>([
  'invalid_filter_field',
  'invalid_selection_field',
  'invaliddata',
  'unauthorisedrequest',
  'forbidden',
  'unknownobject',
  'server_busy',
  'internal_server_error',
]);

/** A OneRoster error: thrown like any AppError, answered with the imsx fields beside the error envelope. */
export const orError = (
  status: number,
  minor: CodeMinor,
  description: string,
  headers: Record<string, string> = {},
) => new AppError(status, minor, description, [], headers);

export const orBadRequest = (
  minor: 'invalid_filter_field' | 'invalid_selection_field' | 'invaliddata',
  description: string,
) => orError(400, minor, description);

export const orUnauthorized = (description = 'A valid OneRoster access token is required') =>
  orError(401, 'unauthorisedrequest', description, { 'www-authenticate': 'Bearer realm="oneroster"' });

/** The code minor of any AppError (the handler's mapping of driver, validation and framework errors too). */
function minorOf(err: AppError): CodeMinor {
  if (MINORS.has(err.code)) return err.code as CodeMinor;
  if (err.statusCode === 401) return 'unauthorisedrequest';
  if (err.statusCode === 403) return 'forbidden';
  if (err.statusCode === 404) return 'unknownobject';
  if (err.statusCode === 429 || err.statusCode === 503) return 'server_busy';
  if (err.statusCode >= 500) return 'internal_server_error';
  return 'invaliddata';
}

/**
 * The imsx_StatusInfo fields of the binding (imsx_codeMajor, imsx_severity, imsx_description,
 * imsx_CodeMinor), registered for /ims/oneroster with the kernel error handler.
 */
export function imsxStatus(err: AppError): Record<string, unknown> {
  return {
    imsx_codeMajor: 'failure',
    imsx_severity: 'error',
    imsx_description: err.message,
    imsx_CodeMinor: {
      imsx_codeMinorField: [
        { imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: minorOf(err) },
      ],
    },
  };
}
