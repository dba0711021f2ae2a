// Attempts, newest first, filterable by status (and by project/workflow from the Workflows page), paged.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { between, dateTime, duration, sessionTime } from '../format.js';
import { every } from '../poll.js';
import { attemptLink, badge, pager, sessionLink, table } from '../ui.js';

const STATUSES = ['', 'running', 'success', 'error', 'killed'];
/** Rows per page; `?pageSize=` in the address overrides it. */
export const PAGE_SIZE = 20;

export function attemptRows(attempts) {
  return table([
    { title: 'Attempt', cell: (a) => attemptLink(a, `${a.workflow} #${a.index}${a.retryAttemptName ? ` (${a.retryAttemptName})` : ''}`) },
    { title: 'Project', cell: (a) => a.project },
    { title: 'Session', cell: (a) => sessionLink(a.sessionId, sessionTime(a.sessionTime)) },
    { title: 'Status', cell: (a) => badge(a.status) },
    { title: 'Created', cell: (a) => dateTime(a.createdAt) },
    { title: 'Duration', class: 'num', cell: (a) => duration(between(a.createdAt, a.finishedAt)) },
  ], attempts, { empty: 'No attempts match.', rowAttrs: (a) => ({ dataset: { attempt: a.id, status: a.status } }) });
}

export async function attemptsPage(ctx) {
  const filter = {
    project: ctx.query.get('project') ?? undefined,
    workflow: ctx.query.get('workflow') ?? undefined,
    status: ctx.query.get('status') ?? undefined,
    continuation: ctx.query.get('continuation') ?? undefined,
    pageSize: ctx.query.get('pageSize') ?? PAGE_SIZE,
  };
  const withStatus = (status) => {
    const query = new URLSearchParams(ctx.query);
    query.delete('continuation');
    if (status) query.set('status', status); else query.delete('status');
    return `/attempts?${query}`;
  };
  const body = h('div', {});
  replace(ctx.main,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Attempts', filter.workflow ? h('small', {}, ` of ${filter.project ?? ''} / ${filter.workflow}`) : ''),
      h('nav', { class: 'filters', 'aria-label': 'Status filter' },
        STATUSES.map((status) => h('a', { class: `chip${(filter.status ?? '') === status ? ' active' : ''}`, href: withStatus(status) }, status || 'all')))),
    body);

  // Refresh while the page is open, so running attempts move on by themselves.
  await every(3000, ctx.signal, async () => {
    const page = await api.attempts(filter);
    replace(body, attemptRows(page.items), pager(ctx, page));
  }, (error) => ctx.fail(error));
}
