// The selected task's log, followed live: read from the last byte offset every second until the
// task has finished and a read comes back empty. One follower per selection; choosing another
// task or try (or leaving the page) aborts it. Above the log: the chosen try's error, and the
// task's stored values and exported params. Tries count from 1, as the API and the CLI count them.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { isFinishedState } from './format.js';

const FAILING = new Set(['error', 'group_error', 'retry_waiting', 'group_retry_waiting']);

/**
 * Which try a task record's error belongs to: the last try while the task is failed or waiting
 * to retry; the one before while a later try runs or after it succeeded (the record keeps the
 * last failure's message until the task fails again).
 */
export function errorTry(task) {
  if (!task?.error) return null;
  const tries = task.tries ?? 0;
  return FAILING.has(task.state) ? tries : tries - 1;
}

/** A JSON value worth showing: not null, not an empty object. */
const shown = (value) => value !== null && value !== undefined && !(typeof value === 'object' && Object.keys(value).length === 0);
import { every } from './poll.js';

export class LogPane {
  constructor(attemptId, pageSignal) {
    this.attemptId = attemptId;
    this.pageSignal = pageSignal;
    this.tries = h('div', { class: 'tries' });
    this.title = h('h3', {}, 'Log');
    this.status = h('span', { class: 'muted log-status' });
    this.text = h('pre', { class: 'log', tabindex: 0, 'aria-label': 'Task log' });
    this.error = h('pre', { class: 'log-error', hidden: true });
    this.values = h('div', { class: 'task-values' });
    this.element = h('section', { class: 'panel log-panel', id: 'log' },
      h('div', { class: 'panel-head' }, this.title, this.tries, this.status), this.error, this.values, this.text);
    this.showHint();
  }

  showHint() {
    replace(this.text, h('span', { class: 'muted' }, 'Select a task to see its log.'));
  }

  /** Follows a task's log (the last try unless one is chosen); the page keeps `task` fresh through update(). */
  async show(task, chosenTry) {
    this.follower?.abort();
    this.task = task;
    const follower = new AbortController();
    this.follower = follower;
    this.pageSignal.addEventListener('abort', () => follower.abort(), { once: true });
    replace(this.title, 'Log of ', h('code', {}, task.name));
    this.chosen = chosenTry;
    this.showError();
    replace(this.tries);
    if (chosenTry !== undefined && this.knownTries) this.showTries(this.knownTries, chosenTry);
    replace(this.text);
    this.status.textContent = '';

    let chosen = chosenTry;
    let offset = 0;
    let received = false;
    await every(1000, follower.signal, async () => {
      // Which tries have a log: asked until one appears, so a task that has not written yet is not a 404.
      if (chosen === undefined) {
        const tries = (await api.logFiles(this.attemptId)).filter((f) => f.task === task.name).map((f) => f.try).sort((a, b) => a - b);
        if (tries.length > 0) {
          chosen = tries[tries.length - 1];
          this.chosen = chosen;
          this.showError();
          this.knownTries = tries;
          this.showTries(tries, chosen);
        }
      }
      // The server returns a long log in parts: read until a part comes back empty.
      while (chosen !== undefined) {
        const chunk = await api.log(this.attemptId, task.name, { attempt: chosen, offset, signal: follower.signal });
        if (!chunk.text) break;
        const atBottom = this.text.scrollTop + this.text.clientHeight >= this.text.scrollHeight - 4;
        this.text.append(chunk.text);
        if (atBottom) this.text.scrollTop = this.text.scrollHeight;
        received = true;
        offset = chunk.nextOffset;
      }
      // Tries count from 1, as the record's `tries` does: an earlier try than the last is done.
      const done = isFinishedState(this.task.state) || (chosen !== undefined && chosen < (this.task.tries ?? 0));
      this.status.textContent = done ? '' : 'following…';
      if (done && !received) replace(this.text, h('span', { class: 'muted' }, 'This task wrote no log.'));
      return !done;
    }, (error) => { this.status.textContent = `cannot read the log: ${error.message}`; });
  }

  showTries(tries, chosen) {
    replace(this.tries, tries.length > 1
      ? tries.map((t) => h('button', { class: `chip${t === chosen ? ' active' : ''}`, type: 'button', dataset: { try: t }, onclick: () => this.show(this.task, t) }, `try ${t}`))
      : []);
  }

  /** The page's latest record of the followed task (its state decides when following stops). */
  update(task) {
    if (this.task && task && task.name === this.task.name) this.task = task;
    this.showError();
  }

  /**
   * The chosen try's error in full, last lines of output included. Only the last failure's message
   * is recorded: an earlier failed try says so, and its log holds its output.
   */
  showError() {
    const task = this.task;
    const chosen = this.chosen ?? task?.tries;
    const failedAt = errorTry(task);
    let text = '';
    if (task && failedAt !== null && chosen === failedAt) text = `Try ${chosen} failed: ${task.error}`;
    else if (task && chosen !== undefined && chosen < (failedAt ?? task.tries ?? 0)) text = `Try ${chosen} failed; the log below is its output.`;
    this.error.hidden = !text;
    this.error.textContent = text;
    this.showValues();
  }

  /** What the task left for the tasks after it: its store_params and its exported params. */
  showValues() {
    const task = this.task;
    const block = (title, value, name) => (shown(value)
      ? h('details', { class: 'values', open: true, dataset: { values: name } }, h('summary', {}, title), h('pre', {}, JSON.stringify(value, null, 2)))
      : '');
    replace(this.values, task ? [block('Stored values (store_params)', task.storeParams, 'store'), block('Exported params (_export)', task.exportParams, 'export')] : []);
  }
}
