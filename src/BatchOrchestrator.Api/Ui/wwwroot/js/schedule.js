// The schedule's SKIP and BACKFILL dialogs (the API's /api/schedules/{project}/{workflow}/skip and
// /backfill): skip the next sessions, or run past sessions one after another — previewed first.

import { api } from './api.js';
import { h, replace } from './dom.js';
import { sessionTime } from './format.js';
import { formDialog } from './ui.js';

const input = (name, attrs = {}) => h('input', { name, autocomplete: 'off', ...attrs });

/** A positive count, or undefined when the box is empty; throws a user-facing message otherwise. */
function countOf(text) {
  if (!text) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`The count must be a whole number from 1, not '${text}'.`);
  return n;
}

/** SKIP: the next N sessions, or every session before a time; calls skip(body) with the API's body. */
export function openSkipDialog(schedule, skip) {
  formDialog({
    title: `Skip sessions of ${schedule.workflow}`,
    fields: [
      { label: 'How many of the next sessions', input: input('count', { inputmode: 'numeric', placeholder: '1' }) },
      { label: 'Or every session before', input: input('untilSessionTime', { placeholder: '2026-12-01' }), help: `The next one now: ${sessionTime(schedule.nextSessionTime)}` },
    ],
    submitLabel: 'Skip',
    onSubmit: async ({ count, untilSessionTime }) => {
      const body = untilSessionTime ? { untilSessionTime } : { count: countOf(count) ?? 1 };
      await skip(body);
      return true;
    },
  });
}

/** BACKFILL: sessions from a time on; PREVIEW lists them (a dry run), START runs them. */
export function openBackfillDialog(ctx, schedule) {
  const preview = h('ul', { class: 'backfill-preview' });
  const previewButton = h('button', { type: 'submit', class: 'button', value: 'preview', dataset: { action: 'preview' } }, 'Preview');
  formDialog({
    title: `Backfill ${schedule.workflow}`,
    fields: [
      { label: 'From session time', input: input('from', { placeholder: '2026-11-01' }), help: 'a date or a time with offset; sessions follow the schedule from there' },
      { label: 'How many sessions', input: input('count', { inputmode: 'numeric', placeholder: 'up to now' }) },
      { label: 'Name', input: input('name', { placeholder: 'a name, so the same backfill cannot run twice' }) },
    ],
    extraButtons: [previewButton],
    submitLabel: 'Start backfill',
    onSubmit: async ({ from, count, name }, { problem, submitter }) => {
      if (!from) {
        problem.textContent = 'Say from which session time to backfill, like 2026-11-01.';
        return false;
      }
      const body = { from, count: countOf(count), name: name || undefined };
      if (submitter === previewButton) {
        const plan = await api.scheduleAction(schedule.project, schedule.workflow, 'backfill', { ...body, dryRun: true });
        replace(preview, plan.sessionTimes.length ? plan.sessionTimes.map((t) => h('li', {}, sessionTime(t))) : h('li', { class: 'muted' }, 'No session in that range.'));
        if (!preview.isConnected) problem.after(preview);
        return false;
      }
      const started = await api.scheduleAction(schedule.project, schedule.workflow, 'backfill', body);
      ctx.notice(`Backfill ${started.name} started: ${started.sessionTimes.length} sessions, one after another.`);
      return true;
    },
  });
}
