// Workflows of every project with their schedules, and RUN.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { sessionTime } from '../format.js';
import { openRunDialog } from '../run.js';
import { table } from '../ui.js';

export async function workflowsPage(ctx) {
  const [projects, schedules] = await Promise.all([api.projects(), api.schedules().catch(() => [])]);
  const workflows = (await Promise.all(projects.map((p) => api.workflows(p.name)))).flat();
  const scheduleOf = (w) => schedules.find((s) => s.project === w.project && s.workflow === w.name);
  const list = (w) => `/attempts?project=${encodeURIComponent(w.project)}&workflow=${encodeURIComponent(w.name)}`;

  replace(ctx.main,
    h('div', { class: 'page-head' }, h('h1', {}, 'Workflows')),
    table([
      { title: 'Project', cell: (w) => w.project },
      { title: 'Workflow', cell: (w) => h('a', { href: list(w) }, w.name) },
      { title: 'Schedule', cell: (w) => w.schedule ?? h('span', { class: 'muted' }, 'none') },
      { title: 'Time zone', cell: (w) => w.timeZone },
      { title: 'Next session', cell: (w) => sessionTime(scheduleOf(w)?.nextSessionTime) },
      { title: 'Last session', cell: (w) => sessionTime(scheduleOf(w)?.lastSessionTime) },
      { title: 'Enabled', cell: (w) => (scheduleOf(w) ? (scheduleOf(w).enabled ? 'yes' : 'disabled') : '') },
      { title: '', class: 'actions', cell: (w) => h('button', { type: 'button', class: 'button primary small', dataset: { action: 'run' }, onclick: () => openRunDialog(ctx, w.project, w.name) }, 'RUN') },
    ], workflows, { empty: 'No projects yet: start the server in a folder with .dig files, or push a project.', rowAttrs: (w) => ({ dataset: { workflow: w.name } }) }));
}
