import { InputError } from '@spine/platform/errors';

/** The question names something that does not exist (a capture, a token): 404 from the API, exit code 2 from the CLI. */
export class NotFoundError extends InputError {}
