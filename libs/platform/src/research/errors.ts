import { InputError } from '../errors.ts';

/** The question names something that does not exist (a capture, a token): 404 from the API, exit code 2 from the CLI. */
export class NotFoundError extends InputError {}

/**
 * The question is valid but the data cannot answer it as asked yet (a picked calculation version has not run on a
 * capture it needs): 409 from the API, exit code 2 from the CLI; the message says what to run.
 */
export class ConflictError extends InputError {}
