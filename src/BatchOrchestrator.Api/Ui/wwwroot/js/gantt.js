// The attempt's timeline: one row per task in tree order, a bar from the task's first start to
// its end (or to now while it runs), its retries marked, drawn as inline SVG.

import { s } from './dom.js';
import { dateTime, duration, isFinishedState, isReused } from './format.js';

const ROW = 22;
const LABEL = 230;
const CHART = 700;
const AXIS = 24;
const STEPS = [100, 250, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5, 432e5, 864e5];

const time = (value) => (value ? new Date(value).getTime() : null);

function span(rows, attempt, now) {
  const starts = rows.map((r) => time(r.task.startedAt)).filter((t) => t !== null);
  const start = Math.min(time(attempt.createdAt) ?? Infinity, ...starts);
  const ends = rows.map((r) => time(r.task.finishedAt) ?? (r.task.startedAt ? now : null)).filter((t) => t !== null);
  const end = Math.max(time(attempt.finishedAt) ?? (attempt.status === 'running' ? now : -Infinity), ...ends, start + 1000);
  return Number.isFinite(start) ? { start, end } : null;
}

function tickStep(length) {
  return STEPS.find((step) => length / step <= 8) ?? STEPS[STEPS.length - 1];
}

function tickLabel(ms) {
  return ms === 0 ? '0' : `+${duration(ms)}`;
}

/**
 * @param rows the task tree's rows (see tree.js)
 * @param options {selected, onSelect(name)}
 */
export function gantt(rows, attempt, { selected, onSelect, zone }) {
  const now = Date.now();
  const range = span(rows, attempt, now);
  const height = AXIS + rows.length * ROW + 4;
  const svg = s('svg', { class: 'gantt', width: LABEL + CHART + 60, height, role: 'img', 'aria-label': 'Timeline of the tasks' });
  if (!range) return svg;

  const scale = CHART / (range.end - range.start);
  const x = (t) => LABEL + (t - range.start) * scale;
  const step = tickStep(range.end - range.start);
  for (let offset = 0; offset <= range.end - range.start; offset += step) {
    svg.append(
      s('line', { class: 'tick', x1: x(range.start + offset), x2: x(range.start + offset), y1: AXIS - 4, y2: height }),
      s('text', { class: 'tick-label', x: x(range.start + offset), y: AXIS - 8 }, tickLabel(offset)),
    );
  }

  rows.forEach((row, i) => {
    const { task } = row;
    const y = AXIS + i * ROW;
    const group = s('g', { class: `gantt-row${task.name === selected ? ' selected' : ''}`, dataset: { task: task.name } });
    group.addEventListener('click', () => onSelect(task.name));
    group.append(
      s('rect', { class: 'row-bg', x: 0, y, width: LABEL + CHART + 60, height: ROW }),
      s('text', { class: 'gantt-label', x: 6 + row.depth * 12, y: y + ROW / 2 + 4 }, row.local),
    );
    const start = time(task.startedAt);
    if (start !== null) {
      const end = time(task.finishedAt) ?? (isFinishedState(task.state) ? start : now);
      const isGroup = row.children.length > 0;
      const barHeight = isGroup ? 6 : 14;
      const reused = isReused(task, attempt);
      const bar = s('rect', {
        class: `bar st-${task.state}${isGroup ? ' group' : ''}${reused ? ' reused' : ''}`,
        x: x(start), y: y + (ROW - barHeight) / 2, width: Math.max(2, (end - start) * scale), height: barHeight, rx: 2,
      });
      bar.append(s('title', {}, `${task.name}\n${reused ? 'reused from an earlier attempt' : task.state}, ${task.tries ?? 0} ${task.tries === 1 ? 'try' : 'tries'}\n${dateTime(task.startedAt, zone)} → ${task.finishedAt ? dateTime(task.finishedAt, zone) : '…'} (${duration(end - start)})`));
      group.append(bar);
      if ((task.tries ?? 0) > 1) {
        group.append(s('text', { class: 'retries', x: x(end) + 4, y: y + ROW / 2 + 4 }, `↻ ${task.tries - 1} ${task.tries === 2 ? 'retry' : 'retries'}`));
      }
    } else {
      group.append(s('text', { class: 'not-started', x: LABEL + 4, y: y + ROW / 2 + 4 }, task.state));
    }
    svg.append(group);
  });
  return svg;
}
