import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { html, layout, loginPage } from '../src/html.ts';

const HOSTILE = [
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)", 'BRK.A&lt;', '</td></tr></table><h1>x',
  '<svg/onload=alert(1)>', '&#60;script&#62;', 'Acme "Holdings" <Class A> & Co\'s',
];

function unescape(text: string): string {
  return text.replace(/&lt;|&gt;|&quot;|&#39;|&amp;/g, (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e]!);
}

describe('HTML escaping', () => {
  it.each(HOSTILE)('renders the issue name or symbol %j as text, in element content and in attributes', (value) => {
    const cell = html`<td class="${value}" title="${value}">${value}</td>`.value;
    const inner = /^<td class="([^"]*)" title="([^"]*)">([^<]*)<\/td>$/.exec(cell);
    expect(inner, cell).not.toBeNull();
    expect(inner!.slice(1).map(unescape)).toEqual([value, value, value]);
  });

  it('escapes any string so that no markup or attribute boundary survives, and it reads back unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (value) => {
      const out = html`<p title="${value}">${value}</p>`.value;
      const rendered = out.slice('<p title="'.length, -'</p>'.length);
      const [attribute, content] = rendered.split('">');
      expect(rendered.split('">')).toHaveLength(2);
      expect(`${attribute}${content}`).not.toMatch(/[<>"']/);
      expect(unescape(attribute!)).toBe(value);
      expect(unescape(content!)).toBe(value);
    }));
  });

  it('escapes nested arrays once and leaves trusted fragments alone', () => {
    const rows = HOSTILE.map((s) => html`<li>${s}</li>`);
    const out = html`<ul>${rows}</ul>`.value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>');
    expect(out.match(/<li>/g)).toHaveLength(HOSTILE.length);
  });

  it('escapes the page title, the role, the token and the sign-in target', () => {
    const page = layout('<script>alert(1)</script>', 'admin', '"><script>', html`<p>ok</p>`);
    expect(page).not.toContain('<script>');
    expect(page).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; · Market Spine</title>');
    const login = loginPage('/"><script>alert(1)</script>', '<b>bad</b>');
    expect(login).not.toContain('<script>');
    expect(login).not.toContain('<b>');
  });
});
