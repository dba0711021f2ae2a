// Pieces every page uses: state badges, tables, the pager, error boxes and links.

import { h } from './dom.js';
import { dateTime, stateClass } from './format.js';

export const badge = (state, label) => h('span', { class: stateClass(state), dataset: { state } }, label ?? state);

/** A time in a workflow's zone with its offset (2026-11-22 09:15:02 +09:00); the exact instant is in datetime. */
export const when = (value, zone) => (value ? h('time', { datetime: value }, dateTime(value, zone)) : '');

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

/**
 * A modal question with a danger button (KILL): resolves true when confirmed, false on Cancel,
 * Escape or a click outside. A <dialog>, not window.confirm, so it looks like the rest of the UI.
 */
export function confirmDialog({ title, text, action }) {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: 'dialog confirm', 'aria-label': title });
    let answer = false;
    dialog.append(h('form', { method: 'dialog' },
      h('h2', {}, title),
      h('p', {}, text),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'button', dataset: { answer: 'cancel' }, onclick: () => dialog.close() }, 'Cancel'),
        h('button', { type: 'button', class: 'button danger', dataset: { answer: 'confirm' }, onclick: () => { answer = true; dialog.close(); } }, action))));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(answer); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * The list filters, kept in the address (so a link or reload keeps them) and applied by the
 * server: session times from and to (dates), a state, and a text found in names, ids and params.
 */
export function filterForm(ctx, statuses) {
  const field = (name, attrs) => h('input', { name, value: ctx.query.get(name) ?? '', autocomplete: 'off', ...attrs });
  const status = h('select', { name: 'status', 'aria-label': 'Status' },
    statuses.map((s) => h('option', { value: s, selected: (ctx.query.get('status') ?? '') === s }, s || 'any status')));
  const form = h('form', { class: 'filter-form', role: 'search' },
    h('label', {}, 'From', field('from', { type: 'date' })),
    h('label', {}, 'To', field('to', { type: 'date' })),
    h('label', {}, 'State', status),
    h('label', { class: 'grow' }, 'Text', field('q', { type: 'search', placeholder: 'workflow, project, id or param' })),
    h('button', { type: 'submit', class: 'button' }, 'Filter'),
    h('button', { type: 'button', class: 'button', dataset: { action: 'clear' }, onclick: () => ctx.navigate(keep(ctx, {})) }, 'Clear'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = Object.fromEntries([...new FormData(form)].filter(([, v]) => String(v).trim() !== ''));
    ctx.navigate(keep(ctx, values));
  });
  return form;
}

/** The page's address with new filter values; the project/workflow scope and page size stay, paging restarts. */
function keep(ctx, values) {
  const query = new URLSearchParams();
  for (const name of ['project', 'workflow', 'pageSize']) {
    if (ctx.query.get(name)) query.set(name, ctx.query.get(name));
  }
  for (const [name, value] of Object.entries(values)) query.set(name, String(value).trim());
  const text = query.toString();
  return text ? `${location.pathname}?${text}` : location.pathname;
}

/**
 * A modal form: labelled fields, a problem line, Cancel and the submit button. onSubmit(values,
 * {problem, submitter}) returns true to close; a thrown error is shown in the problem line.
 */
export function formDialog({ title, fields, submitLabel, extraButtons = [], onSubmit }) {
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const dialog = h('dialog', { class: 'dialog', 'aria-label': title });
  const form = h('form', { method: 'dialog' },
    h('h2', {}, title),
    fields.map((f) => [h('label', {}, f.label, f.input), f.help ? h('small', { class: 'muted' }, f.help) : '']),
    problem,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'button', onclick: () => dialog.close() }, 'Cancel'),
      extraButtons,
      h('button', { type: 'submit', class: 'button primary', value: 'submit' }, submitLabel)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(fields.map((f) => [f.input.name, f.input.value.trim()]));
    problem.textContent = '';
    try {
      if (await onSubmit(values, { problem, submitter: event.submitter })) dialog.close();
    } catch (error) {
      problem.textContent = error.message;
    }
  });
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  fields[0]?.input.focus();
  return dialog;
}
