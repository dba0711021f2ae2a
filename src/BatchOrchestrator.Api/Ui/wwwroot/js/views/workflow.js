// One workflow: RUN, its schedule with ENABLE / DISABLE / SKIP / BACKFILL, a history grid
// (recent sessions × tasks, coloured by state, like Airflow's grid view; each cell opens that
// task of that attempt), and its definition and the project's other files, read-only.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { isReused, sessionTime, stateClass } from '../format.js';
import { openRunDialog } from '../run.js';
import { badge, when } from '../ui.js';
import { openBackfillDialog, openSkipDialog } from '../schedule.js';
import { taskTree } from '../tree.js';
import { attemptName } from './attempts.js';

/** Sessions the grid shows, and plan tasks it draws rows for (a huge workflow keeps its first rows). */
const GRID_SESSIONS = 20;
const GRID_TASKS = 300;

const enc = encodeURIComponent;
export const workflowPath = (project, workflow) => `/workflows/${enc(project)}/${enc(workflow)}`;
const attemptPath = (attempt, task) => `/attempts/${enc(attempt.id)}${task ? `?task=${enc(task)}` : ''}`;

function scheduleSection(ctx, plan, schedule, refresh) {
  const { project, name: workflow } = plan;
  if (!schedule) return h('p', { class: 'muted', dataset: { schedule: 'none' } }, 'No schedule: this workflow runs when it is started (RUN, bo start, the API).');
  const act = async (action, body, done) => {
    try {
      const result = await api.scheduleAction(project, workflow, action, body);
      // The section shows the server's new state before the notice says what changed: a notice
      // beside the old state ("Skipped: the next session is …" above the skipped one) reads as if
      // the action had not happened, and invites doing it again.
      await refresh();
      done?.(result);
    } catch (error) {
      ctx.notice(error.message, 'error');
    }
  };
  const button = (label, action, onclick, kind = '') => h('button', { type: 'button', class: `button ${kind}`, dataset: { action }, onclick }, label);
  return h('div', { class: 'schedule', dataset: { enabled: String(schedule.enabled) } },
    h('dl', { class: 'facts' },
      h('dt', {}, 'Schedule'), h('dd', {}, schedule.schedule),
      h('dt', {}, 'State'), h('dd', {}, schedule.enabled ? badge('success', 'enabled') : badge('canceled', 'disabled')),
      h('dt', {}, 'Next session'), h('dd', { dataset: { field: 'next' } }, schedule.enabled ? sessionTime(schedule.nextSessionTime) : '—'),
      h('dt', {}, 'Runs at'), h('dd', {}, schedule.enabled ? when(schedule.nextRunTime, plan.timeZone) : '—'),
      h('dt', {}, 'Last session'), h('dd', {}, sessionTime(schedule.lastSessionTime) || '—')),
    h('div', { class: 'buttons' },
      schedule.enabled
        ? button('DISABLE', 'disable', () => act('disable', undefined, () => ctx.notice(`${workflow}'s schedule is disabled: no session starts until it is enabled.`)))
        : button('ENABLE', 'enable', () => act('enable', undefined, () => ctx.notice(`${workflow}'s schedule is enabled.`)), 'primary'),
      button('SKIP…', 'skip', () => openSkipDialog(schedule, (body) => act('skip', body, (next) => ctx.notice(`Skipped: the next session is ${sessionTime(next.nextSessionTime)}.`)))),
      button('BACKFILL…', 'backfill', () => openBackfillDialog(ctx, schedule))));
}

/** The grid: one column per session (oldest left), one row per task of the plan, each cell the task's state in the session's latest attempt. */
async function historyGrid(plan) {
  const page = await api.sessions({ project: plan.project, workflow: plan.name, pageSize: GRID_SESSIONS });
  const sessions = page.items.filter((s) => s.latestAttempt).reverse();
  if (sessions.length === 0) return h('p', { class: 'empty muted' }, 'No sessions yet: RUN starts one.');
  const records = await Promise.all(sessions.map(async (s) => new Map((await api.tasks(s.latestAttempt.id)).map((t) => [t.name, t]))));
  const rows = taskTree(plan.tasks.map((t) => ({ name: t.name, parent: t.parent }))).rows.slice(0, GRID_TASKS);
  const cell = (session, byName, row) => {
    const task = byName.get(row.name);
    const attempt = session.latestAttempt;
    if (!task) return h('td', { class: 'cell' }, h('span', { class: 'box empty-box', title: `${row.name}: not run in ${attemptName(attempt)}` }));
    const reused = isReused(task, attempt);
    const state = reused ? 'reused' : task.state;
    return h('td', { class: 'cell' }, h('a', {
      class: `box ${stateClass(task.state)}${reused ? ' reused' : ''}`,
      href: attemptPath(attempt, row.name),
      title: `${row.name}\n${sessionTime(session.sessionTime)} · ${attemptName(attempt)}\n${state}, ${task.tries ?? 0} ${task.tries === 1 ? 'try' : 'tries'}`,
      dataset: { task: row.name, state, session: session.id },
    }));
  };
  return h('div', { class: 'scroll' }, h('table', { class: 'history' },
    h('thead', {},
      h('tr', {}, h('th', { class: 'corner' }, 'Task \\ session'), sessions.map((s) => h('th', { class: 'session-head', title: sessionTime(s.sessionTime) },
        h('a', { href: attemptPath(s.latestAttempt), class: `run-bar ${stateClass(s.latestAttempt.status)}`, dataset: { attempt: s.latestAttempt.id, state: s.latestAttempt.status } }),
        h('span', { class: 'session-label' }, sessionTime(s.sessionTime).slice(0, 16)))))),
    h('tbody', {}, rows.map((row) => h('tr', { dataset: { task: row.name } },
      h('th', { class: 'task-name' }, h('span', { class: `indent-${Math.min(row.depth, 8)}` }, row.local)),
      sessions.map((s, j) => cell(s, records[j], row)))))));
}

/** The project's files (its workflows first), and the chosen one's text, read-only, with line numbers. */
async function filesSection(ctx, plan) {
  const files = await api.files(plan.project);
  const own = `${plan.name}.dig`;
  const chosen = ctx.query.get('file') ?? own;
  const viewer = h('div', { class: 'file-view' });
  const list = h('ul', { class: 'file-list' }, files.map((f) => {
    const query = new URLSearchParams(ctx.query);
    query.set('file', f.path);
    return h('li', {}, h('a', { href: `${location.pathname}?${query}`, class: f.path === chosen ? 'active' : '', dataset: { file: f.path } }, f.path));
  }));
  try {
    const text = await api.file(plan.project, chosen);
    const lines = text.replace(/\n$/, '').split('\n');
    replace(viewer, h('div', { class: 'file-title' }, h('code', {}, chosen), chosen === own ? h('span', { class: 'muted' }, ' — this workflow\'s definition') : ''),
      h('pre', { class: 'source', dataset: { file: chosen } }, lines.map((line, i) => h('span', { class: 'line' }, h('span', { class: 'ln' }, String(i + 1)), line, '\n'))));
  } catch (error) {
    replace(viewer, h('p', { class: 'form-error' }, error.message));
  }
  return h('div', { class: 'files' }, list, viewer);
}

export async function workflowPage(ctx) {
  const [project, workflow] = ctx.params;
  const plan = await api.workflow(project, workflow);
  const scheduleBox = h('div', {});
  const grid = h('div', {});
  const files = h('div', {});
  const list = (kind) => `/${kind}?project=${enc(project)}&workflow=${enc(workflow)}`;
  replace(ctx.main,
    h('div', { class: 'page-head' },
      h('h1', {}, workflow, h('small', {}, ` in ${project} · zone ${plan.timeZone}`)),
      h('div', { class: 'buttons' },
        h('a', { class: 'button', href: list('sessions') }, 'Sessions'),
        h('a', { class: 'button', href: list('attempts') }, 'Attempts'),
        h('button', { type: 'button', class: 'button primary', dataset: { action: 'run' }, onclick: () => openRunDialog(ctx, project, workflow) }, 'RUN'))),
    h('section', { class: 'panel', id: 'schedule' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Schedule')), scheduleBox),
    h('section', { class: 'panel', id: 'history' }, h('div', { class: 'panel-head' }, h('h3', {}, 'History'), h('span', { class: 'muted' }, `the last ${GRID_SESSIONS} sessions' latest attempts; click a cell for that task's log`)), grid),
    h('section', { class: 'panel', id: 'files' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Definition and files')), files));

  const refreshSchedule = async () => {
    const schedule = plan.schedule ? await api.schedule(project, workflow).catch(() => null) : null;
    replace(scheduleBox, scheduleSection(ctx, plan, schedule, refreshSchedule));
  };
  await Promise.all([
    refreshSchedule(),
    historyGrid(plan).then((node) => replace(grid, node)),
    filesSection(ctx, plan).then((node) => replace(files, node)),
  ]);
  ctx.main.dataset.workflowLoaded = 'true';
}
