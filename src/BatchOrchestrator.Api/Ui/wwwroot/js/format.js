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

/**
 * Whether a task was reused from an earlier attempt rather than run by this one: a retry copies
 * the records of the tasks it reuses, so they started before this attempt was created.
 */
export const isReused = (task, attempt) =>
  task.state === 'success' && task.startedAt && attempt.resumedFrom && new Date(task.startedAt) < new Date(attempt.createdAt);

/** A badge for a task state or attempt status; the colour comes from the CSS class. */
export function stateClass(state) {
  return `state state-${state.replace(/_/g, '-')}`;
}

const pad = (n) => String(n).padStart(2, '0');

const formats = new Map();

/** Intl's formatter for a zone (an IANA name like Asia/Tokyo, or UTC); null when the browser does not know the zone. */
function formatter(zone) {
  if (!formats.has(zone)) {
    try {
      formats.set(zone, new Intl.DateTimeFormat('en-CA', {
        timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
      }));
    } catch {
      formats.set(zone, null);
    }
  }
  return formats.get(zone);
}

/** "GMT+09:00" → "+09:00"; "GMT" (no offset) → "+00:00": the way session times write their offset. */
function offsetLabel(name) {
  const offset = name.replace(/^GMT/, '');
  return offset === '' ? '+00:00' : offset;
}

/** The browser's own offset at a time, for a zone the browser does not know. */
function localOffset(d) {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * {date: "2026-11-22", time: "09:15:02", offset: "+09:00"}: a time in a workflow's zone, with the
 * zone's offset at that moment, so no time is shown without saying which zone it is in.
 */
export function zoned(value, zone) {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const format = zone ? formatter(zone) : null;
  if (!format) {
    return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`, offset: localOffset(d) };
  }
  const part = Object.fromEntries(format.formatToParts(d).map((p) => [p.type, p.value]));
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}:${part.second}`, offset: offsetLabel(part.timeZoneName ?? 'GMT') };
}

/** 2026-11-22 09:15:02 +09:00, in the workflow's zone (the browser's when it has none). */
export function dateTime(value, zone) {
  const t = zoned(value, zone);
  return t ? `${t.date} ${t.time} ${t.offset}` : value ? String(value) : '';
}

/** 09:15:02, in the workflow's zone (the full time, with its offset, is in the element's title). */
export function clock(value, zone) {
  return zoned(value, zone)?.time ?? '';
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
