// The selected task's log, followed live: read from the last byte offset every second until the
// task has finished and a read comes back empty. One follower per selection; choosing another
// task or try (or leaving the page) aborts it.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { isFinishedState } from './format.js';
import { every } from './poll.js';

export class LogPane {
  constructor(attemptId, pageSignal) {
    this.attemptId = attemptId;
    this.pageSignal = pageSignal;
    this.tries = h('div', { class: 'tries' });
    this.title = h('h3', {}, 'Log');
    this.status = h('span', { class: 'muted log-status' });
    this.text = h('pre', { class: 'log', tabindex: 0, 'aria-label': 'Task log' });
    this.error = h('p', { class: 'log-error', hidden: true });
    this.element = h('section', { class: 'panel log-panel', id: 'log' },
      h('div', { class: 'panel-head' }, this.title, this.tries, this.status), this.error, this.text);
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
      // Tries are numbered from 0 (the log files' try0, try1, ...): an earlier try than the last is done.
      const done = isFinishedState(this.task.state) || (chosen !== undefined && chosen < (this.task.tries ?? 0) - 1);
      this.status.textContent = done ? '' : 'following…';
      if (done && !received) replace(this.text, h('span', { class: 'muted' }, 'This task wrote no log.'));
      return !done;
    }, (error) => { this.status.textContent = `cannot read the log: ${error.message}`; });
  }

  showTries(tries, chosen) {
    replace(this.tries, tries.length > 1
      ? tries.map((t) => h('button', { class: `chip${t === chosen ? ' active' : ''}`, type: 'button', onclick: () => this.show(this.task, t) }, `try ${t + 1}`))
      : []);
  }

  /** The page's latest record of the followed task (its state decides when following stops). */
  update(task) {
    if (this.task && task && task.name === this.task.name) this.task = task;
    this.showError();
  }

  /** The selected task's error in full (the task list shows its first line). */
  showError() {
    this.error.hidden = !this.task?.error;
    this.error.textContent = this.task?.error ?? '';
  }
}
