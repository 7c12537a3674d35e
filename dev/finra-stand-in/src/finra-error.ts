import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';

/** An answer other than 200 that ends the handling of a request; sent with FINRA's error body. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;

  constructor(status: number, message: string, headers: OutgoingHttpHeaders = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

/** FINRA's error payload (DOMAIN.md, "Errors answer JSON"), with a fresh request id as FINRA's support asks for. */
export function finraErrorBody(status: number, message: string): { statusCode: number; statusDescription: string; requestId: string; message: string } {
  return { statusCode: status, statusDescription: STATUS_CODES[status] ?? 'Error', requestId: randomUUID(), message };
}
