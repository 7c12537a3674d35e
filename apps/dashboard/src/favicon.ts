/** A 32 x 32 PNG of three bars on the header's navy, answered at /favicon.ico (browsers ask for it on every site). */
export const FAVICON_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAPUlEQVR42mOQVTagKWIYtYCmFmTerkFGoxYMcQt8V39HRqMWjFowwBZgNWvUglELRi0YtYDOFow2HelsAQAyRUWTyR+hhgAAAABJRU5ErkJggg==',
  'base64',
);
