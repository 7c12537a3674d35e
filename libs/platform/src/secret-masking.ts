/**
 * Masks secrets in text bound for a log line, an error message or a terminal: the password of every URL with
 * credentials (`scheme://user:password@host`), and the values registered as secrets (passwords, tokens, a webhook
 * URL whose path is the credential). Registered values are matched as written and as they appear inside JSON.
 */

export const MASK = '***';

// The user part stops at ':' (the password follows) and never spans '@'; the password runs to the last '@' of the
// authority, so a password holding an unencoded '@' is masked whole. '"' ends both, so a URL inside a JSON string
// never swallows the next field.
// Every log line passes through this pattern, so it must take time linear in the line: it starts at '://' and
// checks the scheme behind it (a lookbehind), because a pattern starting with the scheme rescans a long run of
// scheme characters ('a.a.a...') from each of its word boundaries: quadratic time. The lookbehind and the forward
// parts scan at most to the previous and the next '/' respectively, so each character is visited a bounded
// number of times.
const URL_CREDENTIALS = /:\/\/(?<=\b[a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:"]*):([^\s/?#"]*)@/gi;

// Shorter values would mask ordinary words; the configuration's secrets are much longer (at least 8 characters).
const MIN_SECRET_CHARS = 6;

const knownSecrets = new Set<string>();
let secretPattern: RegExp | undefined;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Registers a value that must never be printed; its JSON-escaped and URL-decoded forms are registered too. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_CHARS) return;
  const forms = [value, JSON.stringify(value).slice(1, -1)];
  try {
    forms.push(decodeURIComponent(value), encodeURIComponent(value));
  } catch {
    // A value with a stray '%' has no decoded form; the forms above still cover it.
  }
  for (const form of forms) if (form.length >= MIN_SECRET_CHARS) knownSecrets.add(form);
  // Longest first, so a secret that contains another is masked whole.
  secretPattern = new RegExp([...knownSecrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
}

/** Registers the password of a URL with credentials, parsed as a URL and as the text is written. */
export function registerUrlCredentials(raw: string | undefined): void {
  if (!raw) return;
  try {
    const url = new URL(raw);
    if (url.password) registerSecret(url.password);
  } catch {
    // An unparseable URL has no password to register; maskSecrets still masks `user:password@` by pattern.
  }
  URL_CREDENTIALS.lastIndex = 0;
  for (const match of raw.matchAll(URL_CREDENTIALS)) registerSecret(match[2]);
}

/** The text with every URL password and every registered secret replaced by `***`. */
export function maskSecrets(text: string): string {
  const masked = secretPattern ? text.replace(secretPattern, MASK) : text;
  return masked.replace(URL_CREDENTIALS, (_all, user: string) => `://${user}:${MASK}@`);
}

/** A URL for a message: its password masked; an unparseable one is not shown, since it may still hold credentials. */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = MASK;
    return maskSecrets(url.toString());
  } catch {
    return '(unparseable URL, not shown)';
  }
}

/** Only the scheme, host and port of a URL: for URLs whose path or query is itself the credential (webhooks). */
export function urlOrigin(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    return '(unparseable URL, not shown)';
  }
}
