// Sessions, newest first, with their latest attempt; and one session with all its attempts.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { dateTime, sessionTime } from '../format.js';
import { every } from '../poll.js';
import { attemptLink, badge, pager, sessionLink, table } from '../ui.js';
import { PAGE_SIZE, attemptRows } from './attempts.js';

export async function sessionsPage(ctx) {
  const filter = {
    project: ctx.query.get('project') ?? undefined,
    workflow: ctx.query.get('workflow') ?? undefined,
    continuation: ctx.query.get('continuation') ?? undefined,
    pageSize: ctx.query.get('pageSize') ?? PAGE_SIZE,
  };
  const body = h('div', {});
  replace(ctx.main, h('div', { class: 'page-head' }, h('h1', {}, 'Sessions')), body);
  await every(3000, ctx.signal, async () => {
    const page = await api.sessions(filter);
    replace(body, table([
      { title: 'Session time', cell: (s) => sessionLink(s.id, sessionTime(s.sessionTime)) },
      { title: 'Project', cell: (s) => s.project },
      { title: 'Workflow', cell: (s) => s.workflow },
      { title: 'Latest attempt', cell: (s) => (s.latestAttempt ? attemptLink(s.latestAttempt, `#${s.latestAttempt.index}`) : '') },
      { title: 'Status', cell: (s) => (s.latestAttempt ? badge(s.latestAttempt.status) : '') },
      { title: 'Created', cell: (s) => dateTime(s.latestAttempt?.createdAt) },
    ], page.items, { empty: 'No sessions yet.', rowAttrs: (s) => ({ dataset: { session: s.id } }) }), pager(ctx, page));
  }, (error) => ctx.fail(error));
}

export async function sessionPage(ctx) {
  const id = ctx.params[0];
  const body = h('div', {});
  replace(ctx.main, h('div', { class: 'page-head' }, h('h1', {}, 'Session'), h('code', { class: 'muted' }, id)), body);
  await every(3000, ctx.signal, async () => {
    const attempts = await api.sessionAttempts(id);
    const first = attempts[0];
    replace(body,
      first ? h('p', {}, `${first.project} / ${first.workflow} at ${sessionTime(first.sessionTime)}`) : '',
      attemptRows([...attempts].reverse()));
  }, (error) => ctx.fail(error));
}
