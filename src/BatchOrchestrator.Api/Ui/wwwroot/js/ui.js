// Pieces every page uses: state badges, tables, the pager, error boxes and links.

import { h } from './dom.js';
import { stateClass } from './format.js';

export const badge = (state) => h('span', { class: stateClass(state), dataset: { state } }, state);

export const attemptLink = (attempt, text) => h('a', { href: `/attempts/${encodeURIComponent(attempt.id)}` }, text ?? attempt.id);
export const sessionLink = (sessionId, text) => h('a', { href: `/sessions/${encodeURIComponent(sessionId)}` }, text ?? sessionId);

/** A table: columns [{title, cell(item)}]; an empty list says so instead of showing an empty grid. */
export function table(columns, items, { empty = 'Nothing here yet.', rowAttrs } = {}) {
  if (items.length === 0) return h('p', { class: 'empty muted' }, empty);
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.title)))),
    h('tbody', {}, items.map((item) => h('tr', rowAttrs?.(item) ?? {}, columns.map((c) => h('td', { class: c.class }, c.cell(item)))))));
}

/**
 * Paging through {items, continuation} pages. The tokens of the pages before this one travel in
 * history.state, so Back and "Newer" both work without the server keeping anything.
 */
export function pager(ctx, page) {
  const behind = ctx.state?.behind ?? [];
  const current = ctx.query.get('continuation');
  const go = (continuation, nextBehind) => {
    const query = new URLSearchParams(ctx.query);
    if (continuation) query.set('continuation', continuation); else query.delete('continuation');
    ctx.navigate(`${location.pathname}?${query}`, { state: { behind: nextBehind } });
  };
  return h('div', { class: 'pager' },
    h('button', { type: 'button', class: 'button', disabled: !current, onclick: () => go(behind[behind.length - 1] ?? null, behind.slice(0, -1)) }, '← Newer'),
    h('button', { type: 'button', class: 'button', disabled: !page.continuation, onclick: () => go(page.continuation, [...behind, current ?? '']) }, 'Older →'));
}

export function errorBox(error) {
  return h('div', { class: 'error-box', role: 'alert' }, h('strong', {}, error.title ?? 'Something went wrong'), error.detail ? ` — ${error.detail}` : error.title ? '' : ` — ${error.message}`);
}
