/**
 * The pages' one script, served from the dashboard itself (the Content-Security-Policy allows no other): every
 * <time datetime> gets the reader's local time as its tooltip, and an element with data-refresh="<ms>" is
 * re-read from the server every so many milliseconds, for as long as the server keeps the attribute on it.
 * Plain JavaScript in a string, because the build ships compiled TypeScript only.
 */
export const CLIENT_SCRIPT = `(() => {
  'use strict';
  const localize = (root) => {
    for (const el of root.querySelectorAll('time[datetime]')) {
      const when = new Date(el.getAttribute('datetime'));
      if (!Number.isNaN(when.getTime())) el.title = when.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
    }
  };
  const refresh = (el) => {
    const every = Number(el.getAttribute('data-refresh'));
    if (!el.id || !(every > 0)) return;
    setTimeout(async () => {
      let next = el;
      try {
        const res = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
        const found = res.ok ? new DOMParser().parseFromString(await res.text(), 'text/html').getElementById(el.id) : null;
        if (found) {
          el.replaceWith(found);
          localize(found);
          next = found;
        }
      } catch {
        // The next round tries again: a dashboard restart or a network blip must not end the refreshing.
      }
      refresh(next);
    }, every);
  };
  localize(document);
  for (const el of document.querySelectorAll('[data-refresh]')) refresh(el);
})();
`;
