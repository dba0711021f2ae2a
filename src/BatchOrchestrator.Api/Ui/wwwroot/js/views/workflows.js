// Workflows of every project with their schedules, their last session, and RUN.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { sessionTime } from '../format.js';
import { openRunDialog } from '../run.js';
import { attemptLink, badge, table } from '../ui.js';
import { workflowPath } from './workflow.js';

/** The workflow's newest session (however it was started: schedule, RUN, CLI, backfill), or null. */
async function lastSession(w) {
  const page = await api.sessions({ project: w.project, workflow: w.name, pageSize: 1 }).catch(() => ({ items: [] }));
  return page.items[0] ?? null;
}

export async function workflowsPage(ctx) {
  const [projects, schedules] = await Promise.all([api.projects(), api.schedules().catch(() => [])]);
  const workflows = (await Promise.all(projects.map((p) => api.workflows(p.name)))).flat();
  const lasts = await Promise.all(workflows.map(lastSession));
  const last = new Map(workflows.map((w, i) => [w, lasts[i]]));
  const scheduleOf = (w) => schedules.find((s) => s.project === w.project && s.workflow === w.name);

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Workflows')),
    table([
      { title: 'Project', cell: (w) => w.project },
      { title: 'Workflow', cell: (w) => h('a', { href: workflowPath(w.project, w.name) }, w.name) },
      { title: 'Schedule', cell: (w) => w.schedule ?? h('span', { class: 'muted' }, 'none') },
      { title: 'Time zone', cell: (w) => w.timeZone },
      { title: 'Next session', cell: (w) => (scheduleOf(w)?.enabled === false ? h('span', { class: 'muted' }, 'disabled') : sessionTime(scheduleOf(w)?.nextSessionTime)) },
      {
        title: 'Last session',
        class: 'last-session',
        cell: (w) => {
          const session = last.get(w);
          if (!session) return h('span', { class: 'muted' }, 'none yet');
          const attempt = session.latestAttempt;
          return [attempt ? attemptLink(attempt, sessionTime(session.sessionTime)) : sessionTime(session.sessionTime), ' ', attempt ? badge(attempt.status) : ''];
        },
      },
      { title: '', class: 'actions', cell: (w) => h('button', { type: 'button', class: 'button primary small', dataset: { action: 'run' }, onclick: () => openRunDialog(ctx, w.project, w.name) }, 'RUN') },
    ], workflows, { empty: 'No projects yet: start the server in a folder with .dig files, or push a project.', rowAttrs: (w) => ({ dataset: { workflow: w.name } }) }));
}
