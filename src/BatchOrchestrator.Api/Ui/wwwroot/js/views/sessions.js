// Sessions, newest first, with their latest attempt (filtered by the server like the attempts);
// and one session with all its attempts.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { sessionTime } from '../format.js';
import { every } from '../poll.js';
import { attemptLink, badge, filterForm, pager, sessionLink, table, when } from '../ui.js';
import { zonesFor } from '../zones.js';
import { STATUSES, attemptName, attemptRows, listFilter } from './attempts.js';

export async function sessionsPage(ctx) {
  const filter = listFilter(ctx);
  const body = h('div', {});
  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Sessions', filter.workflow ? h('small', {}, ` of ${filter.project ?? ''} / ${filter.workflow}`) : '')),
    filterForm(ctx, STATUSES),
    body);
  await every(3000, ctx.signal, async () => {
    const page = await api.sessions(filter);
    const zone = await zonesFor(page.items);
    replace(body, table([
      { title: 'Session time', cell: (s) => sessionLink(s.id, sessionTime(s.sessionTime)) },
      { title: 'Project', cell: (s) => s.project },
      { title: 'Workflow', cell: (s) => s.workflow },
      { title: 'Latest attempt', cell: (s) => (s.latestAttempt ? attemptLink(s.latestAttempt, attemptName(s.latestAttempt)) : '') },
      { title: 'Status', cell: (s) => (s.latestAttempt ? badge(s.latestAttempt.status) : '') },
      { title: 'Created', class: 'nowrap', cell: (s) => when(s.latestAttempt?.createdAt, zone(s)) },
    ], page.items, { empty: 'No sessions match.', rowAttrs: (s) => ({ dataset: { session: s.id } }) }), pager(ctx, page));
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
      await attemptRows([...attempts].reverse()));
  }, (error) => ctx.fail(error));
}
