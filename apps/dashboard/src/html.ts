import { html, Html } from '@spine/platform/html/html';
import type { Role } from './auth.ts';

// The markup of every page, the dashboard's and a dataset's research pages alike, is the platform's escaping template.
export { html, Html };

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:18px;align-items:center}
header a{color:#cfd6e4;text-decoration:none}header a:hover{color:#fff}header .who{margin-left:auto;color:#8f9bb3}
main{padding:20px}h1{font-size:20px;margin:0 0 14px}h2{font-size:16px;margin:22px 0 8px}
table{border-collapse:collapse;background:#fff;font-size:13px}th,td{border:1px solid #dde1e8;padding:4px 8px;text-align:left}
th{background:#eef0f4}td.num{text-align:right}.cell{display:block;width:100%;height:100%;color:inherit;text-decoration:none}
.complete{background:#c9f0d3}.revised{background:#a9e3bd}.running{background:#fff1b8}.failed{background:#ffc9c9}.gated{background:#ffd8a8}
.not_published{background:#e7e0f8;color:#5f3dc4}.missing{background:#ffe3e3;color:#862e2e}.not_due{background:#f1f3f5;color:#adb5bd}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:6px 14px;padding:0;margin:8px 0 14px;font-size:12px}
ul.legend span.swatch{display:inline-block;padding:1px 8px;margin-right:4px;border:1px solid #dde1e8;border-radius:3px}
.WARN{color:#b35c00;font-weight:600}.CRITICAL,.FAIL,.ERROR{color:#c92a2a;font-weight:600}.PASS{color:#2b8a3e}
form.inline{display:flex;gap:8px;align-items:end;flex-wrap:wrap;background:#fff;padding:12px;border:1px solid #dde1e8}
form.action{display:inline;margin:0 6px 0 0}
label{display:flex;flex-direction:column;font-size:12px;color:#59627a}input,select,button{font:inherit;padding:4px 6px}
button{background:#1c7ed6;color:#fff;border:0;border-radius:3px;padding:6px 12px;cursor:pointer}button.secondary{background:#495057}
.error{color:#c92a2a}.note{color:#59627a}.field-error{color:#c92a2a;font-size:12px;max-width:16em}
pre{background:#fff;border:1px solid #dde1e8;padding:10px;overflow:auto}time,td a,td code,td.where{white-space:nowrap}table.executions{font-size:12px}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 14px;background:#fff;border:1px solid #dde1e8;padding:10px;margin:0}
dl.facts dt{color:#59627a}dl.facts dd{margin:0}
details{background:#fff;border:1px solid #dde1e8;margin:4px 0;padding:4px 8px}details>summary{cursor:pointer}
nav.pager{margin:8px 0;display:flex;gap:12px;align-items:center}
figure.chart{background:#fff;border:1px solid #dde1e8;margin:0 0 14px;padding:10px}figure.chart figcaption{font-weight:600;margin-bottom:6px}
.chart-box{position:relative;height:300px}.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:14px}
ul.downloads{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 16px}td.grade{text-align:center;white-space:nowrap}`;

/** The head every page shares: its title, the favicon, the style sheet and the page script, then the page's own scripts. */
function head(title: string, extra: Html | string = '', scripts: readonly string[] = []): Html {
  return html`<head><meta charset="utf-8"><title>${title} · Market Spine</title><link rel="icon" href="/favicon.ico">${extra}
<style>${new Html(STYLE)}</style><script src="${CLIENT_SCRIPT_PATH}" defer></script>${scripts.map((src) => html`<script src="${src}" defer></script>`)}</head>`;
}

export const CLIENT_SCRIPT_PATH = '/assets/dashboard.js';

/** The page frame: navigation, who is signed in, sign-out (a CSRF-protected form); `scripts` load after the page script. */
export function layout(title: string, role: Role, csrf: string, body: Html, scripts: readonly string[] = []): string {
  return html`<!doctype html><html lang="en">${head(title, html`<meta name="csrf-token" content="${csrf}">`, scripts)}<body>
<header><strong>Market Spine</strong><a href="/coverage">Coverage</a><a href="/lag">Lag</a><a href="/batches">Batches</a>
<a href="/anomalies">Anomalies</a><a href="/quality">Quality</a><a href="/calculations">Calculations</a><a href="/queues">Queues</a><a href="/research">Research</a>
<span class="who">${role}</span><form method="post" action="/logout" style="margin:0"><input type="hidden" name="_csrf" value="${csrf}"><button>Sign out</button></form></header>
<main><h1>${title}</h1>${body}</main></body></html>`.value;
}

export function loginPage(next: string, error?: string): string {
  return html`<!doctype html><html lang="en">${head('Sign in')}
<body><main style="max-width:320px;margin:80px auto"><h1>Market Spine</h1>
${error ? html`<p class="error">${error}</p>` : ''}
<form method="post" action="/login" class="inline" style="flex-direction:column;align-items:stretch">
<input type="hidden" name="next" value="${next}">
<label>User <input name="user" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form></main></body></html>`.value;
}
