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
    this.element = h('section', { class: 'panel log-panel', id: 'log' },
      h('div', { class: 'panel-head' }, this.title, this.tries, this.status), this.text);
    this.showHint();
  }

  showHint() {
    replace(this.text, h('span', { class: 'muted' }, 'Select a task to see its log.'));
  }

  /** Follows a task's log; `task` is its current record, kept fresh by the page through update(). */
  async show(task, attempt) {
    this.follower?.abort();
    this.task = task;
    const follower = new AbortController();
    this.follower = follower;
    this.pageSignal.addEventListener('abort', () => follower.abort(), { once: true });
    replace(this.title, 'Log of ', h('code', {}, task.name));

    const files = (await api.logFiles(this.attemptId).catch(() => [])).filter((f) => f.task === task.name);
    const tries = [...new Set(files.map((f) => f.try))].sort((a, b) => a - b);
    const chosen = attempt ?? tries[tries.length - 1];
    replace(this.tries, tries.length > 1
      ? tries.map((t) => h('button', { class: `chip${t === chosen ? ' active' : ''}`, type: 'button', onclick: () => this.show(this.task, t) }, `try ${t}`))
      : []);
    if (follower.signal.aborted) return;

    replace(this.text);
    let offset = 0;
    let received = false;
    await every(1000, follower.signal, async () => {
      // The server returns a long log in parts: read until a part comes back empty.
      for (;;) {
        const chunk = await api.log(this.attemptId, task.name, { attempt: chosen, offset, signal: follower.signal });
        if (!chunk.text) break;
        const atBottom = this.text.scrollTop + this.text.clientHeight >= this.text.scrollHeight - 4;
        this.text.append(chunk.text);
        if (atBottom) this.text.scrollTop = this.text.scrollHeight;
        received = true;
        offset = chunk.nextOffset;
      }
      const done = isFinishedState(this.task.state) || chosen < (this.task.tries ?? 0);
      this.status.textContent = done ? '' : 'following…';
      if (done && !received) replace(this.text, h('span', { class: 'muted' }, 'This task wrote no log.'));
      return !done;
    }, (error) => { this.status.textContent = `cannot read the log: ${error.message}`; });
  }

  /** The page's latest record of the followed task (its state decides when following stops). */
  update(task) {
    if (this.task && task && task.name === this.task.name) this.task = task;
  }
}
