// One attempt: its header and buttons (RUN, RETRY FAILED, RETRY ALL, KILL — asked before it
// kills), the task tree, the timeline, the dependency graph and the selected task's live log.
// Times are in the workflow's zone, with its offset. Refreshed every second while the attempt
// runs, once more when it ends.

import { api } from '../api.js';
import { h, replace } from '../dom.js';
import { between, clock, dateTime, duration, isReused, sessionTime, zoned } from '../format.js';
import { gantt } from '../gantt.js';
import { dependencyGraph } from '../graph.js';
import { LogPane } from '../logs.js';
import { every } from '../poll.js';
import { openRunDialog } from '../run.js';
import { taskTree } from '../tree.js';
import { attemptLink, badge, confirmDialog, sessionLink, table, when } from '../ui.js';
import { attemptName } from './attempts.js';

const MAX_ROWS = 1000;

function taskTable(tree, attempt, zone, selected, onSelect) {
  const offset = zoned(attempt.createdAt, zone)?.offset;
  return table([
    { title: 'Task', class: 'task-name', cell: (row) => h('span', { class: `indent-${Math.min(row.depth, 8)}` }, row.local) },
    { title: 'State', cell: (row) => (isReused(row.task, attempt) ? badge('reused') : badge(row.task.state)) },
    { title: 'Tries', class: 'num', cell: (row) => (isReused(row.task, attempt) ? '' : String(row.task.tries ?? 0)) },
    { title: `Started (${offset ?? 'local'})`, class: 'nowrap', cell: (row) => h('time', { datetime: row.task.startedAt, title: dateTime(row.task.startedAt, zone) }, clock(row.task.startedAt, zone)) },
    { title: 'Duration', class: 'num', cell: (row) => (isReused(row.task, attempt) ? '' : duration(between(row.task.startedAt, row.task.finishedAt))) },
    // Whole, wrapped: the last lines of a command's output are the point of its message. A task that succeeded keeps its failed tries' message for the log pane.
    { title: 'Error', class: 'error-text', cell: (row) => (row.task.error && row.task.state !== 'success' ? row.task.error : '') },
  ], tree.rows, {
    empty: 'No task has started yet.',
    rowAttrs: (row) => ({
      class: `task-row${row.name === selected ? ' selected' : ''}`,
      dataset: { task: row.name, state: row.task.state, reused: isReused(row.task, attempt) ? 'true' : undefined },
      tabindex: 0,
      onclick: () => onSelect(row.name),
      onkeydown: (event) => { if (event.key === 'Enter') onSelect(row.name); },
    }),
  });
}

function header(ctx, attempt, { latest, resumed, zone }, actions) {
  const running = attempt.status === 'running';
  const finished = !running;
  // A later attempt of the session ran it again: retrying this one would redo what that one did.
  const newer = latest && latest.id !== attempt.id ? latest : null;
  const button = (label, action, enabled, kind = '') =>
    h('button', { type: 'button', class: `button ${kind}`, dataset: { action }, disabled: !enabled, onclick: () => actions[action]() }, label);
  return h('div', { class: 'attempt-head' },
    h('div', { class: 'page-head' },
      h('h1', {}, attempt.workflow, ' ', badge(attempt.status)),
      h('div', { class: 'buttons' },
        button('RUN', 'run', true, 'primary'),
        button('RETRY FAILED', 'retry-failed', finished && attempt.status !== 'success' && newer?.status !== 'success'),
        button('RETRY ALL', 'retry-all', finished),
        button('KILL', 'kill', running, 'danger'))),
    newer ? h('p', { class: 'newer-attempt', role: 'note' }, 'This session has a newer attempt: ', attemptLink(newer, attemptName(newer)), ' ', badge(newer.status)) : '',
    h('dl', { class: 'facts' },
      h('dt', {}, 'Project'), h('dd', {}, attempt.project),
      h('dt', {}, 'Session'), h('dd', {}, sessionLink(attempt.sessionId, sessionTime(attempt.sessionTime))),
      h('dt', {}, 'Attempt'), h('dd', {}, attemptName(attempt)),
      h('dt', {}, 'Created'), h('dd', {}, when(attempt.createdAt, zone)),
      h('dt', {}, 'Finished'), h('dd', {}, attempt.finishedAt ? when(attempt.finishedAt, zone) : '—'),
      h('dt', {}, 'Duration'), h('dd', {}, duration(between(attempt.createdAt, attempt.finishedAt))),
      attempt.resumedFrom ? [h('dt', {}, 'Resumed from'), h('dd', {}, attemptLink({ id: attempt.resumedFrom }, resumed ? attemptName(resumed) : attempt.resumedFrom))] : [],
      attempt.params && Object.keys(attempt.params).length ? [h('dt', {}, 'Params'), h('dd', {}, h('code', {}, JSON.stringify(attempt.params)))] : []));
}

export async function attemptPage(ctx) {
  const id = ctx.params[0];
  let attempt = await api.attempt(id);
  const plan = await api.workflow(attempt.project, attempt.workflow).catch(() => null);
  const zone = plan?.timeZone ?? null;
  // The attempt a retry came from, by the number `bo attempts` shows.
  const resumed = attempt.resumedFrom ? await api.attempt(attempt.resumedFrom).catch(() => null) : null;
  let latest = null;
  let tasks = [];
  let selected = ctx.query.get('task');
  const logs = new LogPane(id, ctx.signal);

  const head = h('div', {});
  const tree = h('div', { class: 'scroll' });
  const timeline = h('div', { class: 'scroll' });
  const graph = h('div', { class: 'scroll' });
  replace(ctx.main,
    head,
    h('div', { class: 'attempt-body' },
      h('section', { class: 'panel', id: 'tasks' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Tasks')), tree),
      h('section', { class: 'panel', id: 'timeline' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Timeline')), timeline),
      h('section', { class: 'panel', id: 'graph' }, h('div', { class: 'panel-head' }, h('h3', {}, 'Dependencies')), graph),
      logs.element));

  const select = (name) => {
    selected = name;
    const query = new URLSearchParams(ctx.query);
    query.set('task', name);
    history.replaceState(history.state, '', `${location.pathname}?${query}`);
    render();
    const task = tasks.find((t) => t.name === name);
    if (task) logs.show(task);
  };

  const act = async (work, done) => {
    try {
      const result = await work();
      done(result);
    } catch (error) {
      ctx.notice(error.message, 'error');
    }
  };
  const actions = {
    run: () => openRunDialog(ctx, attempt.project, attempt.workflow),
    'retry-failed': () => act(() => api.retry(id, 'failed'), (next) => ctx.navigate(`/attempts/${encodeURIComponent(next.id)}`)),
    'retry-all': () => act(() => api.retry(id, 'all'), (next) => ctx.navigate(`/attempts/${encodeURIComponent(next.id)}`)),
    kill: async () => {
      const sure = await confirmDialog({
        title: `Kill ${attempt.workflow} ${attemptName(attempt)}?`,
        text: 'Its running tasks are stopped and the tasks not started yet are canceled. A retry can run them again later.',
        action: 'KILL',
      });
      if (sure) await act(() => api.kill(id), () => ctx.notice('Kill requested: running tasks are being stopped.'));
    },
  };

  function render() {
    const rows = taskTree(tasks);
    // A huge attempt (thousands of generated tasks) shows its first rows; redrawing them all each second would freeze the page.
    const shown = rows.rows.length > MAX_ROWS ? { ...rows, rows: rows.rows.slice(0, MAX_ROWS) } : rows;
    const more = rows.rows.length > MAX_ROWS ? h('p', { class: 'muted' }, `…and ${rows.rows.length - MAX_ROWS} more tasks (bo tasks lists them all).`) : '';
    replace(head, header(ctx, attempt, { latest, resumed, zone }, actions));
    replace(tree, taskTable(shown, attempt, zone, selected, select), more);
    replace(timeline, rows.rows.length ? gantt(shown.rows, attempt, { selected, onSelect: select, zone }) : h('p', { class: 'muted' }, 'Nothing has run yet.'), more.cloneNode?.(true) ?? '');
    replace(graph, dependencyGraph(plan, rows, { selected, onSelect: select }) ?? h('p', { class: 'muted' }, 'Too many tasks to draw; the task list above has them all.'));
    logs.update(tasks.find((t) => t.name === selected));
  }

  await every(1000, ctx.signal, async () => {
    let session;
    [attempt, tasks, session] = await Promise.all([api.attempt(id), api.tasks(id), api.session(attempt.sessionId).catch(() => null)]);
    latest = session?.latestAttempt ?? null;
    render();
    const chosen = tasks.find((t) => t.name === selected);
    if (chosen && !logs.task) logs.show(chosen);
    ctx.main.dataset.attemptStatus = attempt.status;
    return attempt.status === 'running';
  }, (error) => ctx.notice(error.message, 'error'));
}
