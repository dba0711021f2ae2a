// Attempts, newest first, filtered by the server (status, session dates, text; project and workflow
// from the Workflows page), paged.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { between, duration, sessionTime } from '../format.js';
import { every } from '../poll.js';
import { attemptLink, badge, filterForm, pager, sessionLink, table, when } from '../ui.js';
import { zonesFor } from '../zones.js';

export const STATUSES = ['', 'running', 'success', 'error', 'killed'];
/** Rows per page; `?pageSize=` in the address overrides it. */
export const PAGE_SIZE = 20;

/** The attempt as `bo attempts` names it: #2 (retry-1). */
export const attemptName = (a) => `#${a.index}${a.retryAttemptName ? ` (${a.retryAttemptName})` : ''}`;

/** The list's filters from the address, as the API takes them. */
export function listFilter(ctx) {
  const value = (name) => ctx.query.get(name) || undefined;
  return {
    project: value('project'),
    workflow: value('workflow'),
    status: value('status'),
    from: value('from'),
    to: value('to'),
    q: value('q'),
    continuation: value('continuation'),
    pageSize: ctx.query.get('pageSize') ?? PAGE_SIZE,
  };
}

export async function attemptRows(attempts) {
  const zone = await zonesFor(attempts);
  return table([
    { title: 'Attempt', cell: (a) => attemptLink(a, `${a.workflow} ${attemptName(a)}`) },
    { title: 'Project', cell: (a) => a.project },
    { title: 'Session', cell: (a) => sessionLink(a.sessionId, sessionTime(a.sessionTime)) },
    { title: 'Status', cell: (a) => badge(a.status) },
    { title: 'Created', class: 'nowrap', cell: (a) => when(a.createdAt, zone(a)) },
    { title: 'Duration', class: 'num', cell: (a) => duration(between(a.createdAt, a.finishedAt)) },
  ], attempts, { empty: 'No attempts match.', rowAttrs: (a) => ({ dataset: { attempt: a.id, status: a.status } }) });
}

export async function attemptsPage(ctx) {
  const filter = listFilter(ctx);
  const body = h('div', {});
  replace(ctx.main,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Attempts', filter.workflow ? h('small', {}, ` of ${filter.project ?? ''} / ${filter.workflow}`) : '')),
    filterForm(ctx, STATUSES),
    body);

  // Refresh while the page is open, so running attempts move on by themselves.
  await every(3000, ctx.signal, async () => {
    const page = await api.attempts(filter);
    replace(body, await attemptRows(page.items), pager(ctx, page));
  }, (error) => ctx.fail(error));
}
