// RUN: start a new session of a workflow, with a session time and params. The server answers a
// session that already has an attempt with that attempt (409); we open the session's latest
// attempt instead (a retry may have run it again since), and say so.

import { api } from './api.js';
import { h } from './dom.js';

/** Parses the params box: empty, or a JSON object. Returns {params} or {error}. */
export function parseParams(text) {
  if (!text.trim()) return { params: undefined };
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'Params must be a JSON object, like {"day": "2026-11-01"}.' };
    return { params: value };
  } catch (error) {
    return { error: `Params are not valid JSON: ${error.message}` };
  }
}

/** Opens the RUN dialog for a workflow; on success calls ctx.navigate to the attempt. */
export function openRunDialog(ctx, project, workflow) {
  const sessionTime = h('input', { name: 'sessionTime', value: 'now', autocomplete: 'off', 'aria-describedby': 'session-time-help' });
  const params = h('textarea', { name: 'params', rows: 5, spellcheck: 'false', placeholder: '{"key": "value"}' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Run');
  const dialog = h('dialog', { class: 'dialog', 'aria-label': `Run ${workflow}` });
  const form = h('form', { method: 'dialog' },
    h('h2', {}, 'Run ', h('code', {}, `${project} / ${workflow}`)),
    h('label', {}, 'Session time', sessionTime),
    h('small', { id: 'session-time-help', class: 'muted' }, 'now, a date (2026-11-22), or a time with offset (2026-11-22T07:00:00+09:00)'),
    h('label', {}, 'Params (JSON object)', params),
    problem,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'button', onclick: () => dialog.close() }, 'Cancel'),
      submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const parsed = parseParams(params.value);
    if (parsed.error) {
      problem.textContent = parsed.error;
      return;
    }
    submit.disabled = true;
    problem.textContent = '';
    try {
      const started = await api.start({ project, workflow, sessionTime: sessionTime.value.trim() || undefined, params: parsed.params });
      const latest = started.existing ? (await api.session(started.attempt.sessionId)).latestAttempt ?? started.attempt : started.attempt;
      dialog.close();
      ctx.navigate(`/attempts/${encodeURIComponent(latest.id)}`);
      if (started.existing) ctx.notice(`That session has run already; here is its latest attempt, #${latest.index} (${latest.status}). Use RETRY to run it again.`);
    } catch (error) {
      problem.textContent = error.message;
    } finally {
      submit.disabled = false;
    }
  });
  dialog.append(form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  sessionTime.select();
}
