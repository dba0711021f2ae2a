// How times, durations and states read in the UI.

/** Digdag's state names: RetryWaiting or 2 (an enum index) → "retry_waiting". */
const TASK_STATES = ['blocked', 'ready', 'retry_waiting', 'group_retry_waiting', 'running', 'planned', 'group_error', 'success', 'error', 'canceled', 'skipped'];
const ATTEMPT_STATUSES = ['running', 'success', 'error', 'killed'];

function snake(value, byIndex) {
  if (typeof value === 'number') return byIndex[value] ?? String(value);
  if (value === undefined || value === null) return 'unknown';
  return String(value).replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export const taskState = (value) => snake(value, TASK_STATES);
export const attemptStatus = (value) => snake(value, ATTEMPT_STATUSES);

const FINISHED = new Set(['success', 'error', 'group_error', 'canceled', 'skipped']);
export const isFinishedState = (state) => FINISHED.has(state);

/** A badge for a task state or attempt status; the colour comes from the CSS class. */
export function stateClass(state) {
  return `state state-${state.replace(/_/g, '-')}`;
}

const pad = (n) => String(n).padStart(2, '0');

/** 2026-11-22 09:15:02, in the browser's time zone. */
export function dateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 09:15:02, in the browser's time zone (the full time is in the element's title). */
export function clock(value) {
  return dateTime(value).slice(11);
}

/** A session time as written (it carries the workflow's offset), made a little easier to read. */
export function sessionTime(value) {
  return value ? String(value).replace('T', ' ') : '';
}

/** 1.2s, 3m 04s, 2h 05m. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(Math.floor(seconds % 60))}s`;
  return `${Math.floor(minutes / 60)}h ${pad(minutes % 60)}m`;
}

export function between(start, end) {
  if (!start) return null;
  return (end ? new Date(end) : new Date()).getTime() - new Date(start).getTime();
}
