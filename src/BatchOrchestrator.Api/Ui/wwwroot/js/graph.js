// The attempt's dependency graph, drawn as inline SVG: each group is a box around its
// children; inside a group, a child stands one column right of the siblings it waits for
// (sequential groups make a chain, _parallel groups a column), with an arrow per dependency.
// The workflow's plan gives the groups, _parallel and the edges; the attempt's records add the
// tasks generated at run time (loop>, for_each>, call>) and every task's state.

import { s } from './dom.js';

const LEAF_H = 28;
const HEADER = 22;
const PAD = 10;
const COLUMN_GAP = 34;
const ROW_GAP = 10;
const CHAR = 7; // px per character of the 12px label font, close enough for box widths
const MAX_NODES = 400;

// Tasks beside the flow rather than in it (^sub, the tasks a loop generates, is in the flow).
const SIDE_ROLES = { '^error': 'error', '^check': 'check', '^sla': 'sla' };

/** Merges the plan's tasks (may be null) and the records into one tree of graph nodes. */
function graphTree(plan, tree) {
  const nodes = new Map();
  const add = (name, parent, extra) => {
    if (nodes.has(name)) return nodes.get(name);
    const node = { name, parent, children: [], upstreams: null, parallel: false, role: 'normal', ...extra };
    nodes.set(name, node);
    return node;
  };
  for (const task of plan?.tasks ?? []) {
    add(task.name, task.parent ?? null, { upstreams: task.upstreams ?? [], parallel: !!task.parallel, role: task.role ?? 'normal', operator: task.operator });
  }
  for (const row of tree.rows) {
    const node = add(row.name, row.parent?.name ?? null, { role: SIDE_ROLES[row.local] ?? 'normal' });
    node.task = row.task;
  }
  const roots = [];
  for (const node of nodes.values()) {
    const parent = node.parent && nodes.get(node.parent);
    node.local = parent ? node.name.slice(parent.name.length) : node.name;
    (parent ? parent.children : roots).push(node);
  }
  return { roots, count: nodes.size };
}

/** Column of each flow child: one right of its furthest upstream (unknown upstreams: the previous sibling). */
function columns(flow, parallel) {
  const index = new Map(flow.map((n, i) => [n.name, i]));
  const column = [];
  flow.forEach((node, i) => {
    const upstreams = node.upstreams ?? (parallel || i === 0 ? [] : [flow[i - 1].name]);
    node.edgesFrom = upstreams.filter((u) => index.has(u) && index.get(u) < i);
    column[i] = node.edgesFrom.reduce((c, u) => Math.max(c, column[index.get(u)] + 1), 0);
  });
  return column;
}

function measure(node) {
  if (node.children.length === 0) {
    node.w = Math.max(110, node.local.length * CHAR + 26);
    node.h = LEAF_H;
    return;
  }
  node.children.forEach(measure);
  const flow = node.children.filter((c) => c.role === 'normal');
  const side = node.children.filter((c) => c.role !== 'normal');
  const column = columns(flow, node.parallel);
  const cols = [];
  flow.forEach((child, i) => (cols[column[i]] ??= []).push(child));
  let x = PAD;
  let flowHeight = 0;
  for (const col of cols.filter(Boolean)) {
    const width = Math.max(...col.map((c) => c.w));
    const height = col.reduce((sum, c) => sum + c.h, 0) + ROW_GAP * (col.length - 1);
    col.forEach((c) => { c.x = x + (width - c.w) / 2; });
    col.height = height;
    x += width + COLUMN_GAP;
    flowHeight = Math.max(flowHeight, height);
  }
  const flowWidth = Math.max(x - COLUMN_GAP + PAD, node.local.length * CHAR + 2 * PAD);
  for (const col of cols.filter(Boolean)) {
    let y = HEADER + (flowHeight - col.height) / 2;
    col.forEach((c) => { c.y = y; y += c.h + ROW_GAP; });
  }
  // ^error / ^check tasks hang below the flow they guard.
  let y = HEADER + flowHeight + (side.length ? ROW_GAP * 2 : 0);
  let sideWidth = 0;
  for (const c of side) {
    c.x = PAD;
    c.y = y;
    y += c.h + ROW_GAP;
    sideWidth = Math.max(sideWidth, c.w + 2 * PAD);
  }
  node.w = Math.max(flowWidth, sideWidth, 120);
  node.h = (side.length ? y - ROW_GAP : HEADER + flowHeight) + PAD;
}

function draw(svg, node, ox, oy, options) {
  const x = ox + node.x;
  const y = oy + node.y;
  const state = node.task?.state ?? 'pending';
  const isGroup = node.children.length > 0;
  const box = s('g', {
    class: `node ${isGroup ? 'group' : 'leaf'} st-${state}${node.name === options.selected ? ' selected' : ''}${node.role !== 'normal' ? ` role-${node.role}` : ''}`,
    dataset: { task: node.name, state },
  });
  if (node.task) box.addEventListener('click', (event) => { event.stopPropagation(); options.onSelect(node.name); });
  box.append(s('title', {}, `${node.name}\n${state}${node.operator ? ` · ${node.operator}` : ''}`));
  box.append(s('rect', { x, y, width: node.w, height: node.h, rx: isGroup ? 6 : 4 }));
  box.append(s('text', { x: x + (isGroup ? 8 : node.w / 2), y: y + (isGroup ? 15 : LEAF_H / 2 + 4), 'text-anchor': isGroup ? 'start' : 'middle' }, node.local));
  svg.append(box);
  for (const child of node.children) {
    for (const upstream of child.edgesFrom ?? []) {
      const from = node.children.find((c) => c.name === upstream);
      const x1 = x + from.x + from.w;
      const y1 = y + from.y + from.h / 2;
      const x2 = x + child.x;
      const y2 = y + child.y + child.h / 2;
      const bend = (x2 - x1) / 2;
      svg.append(s('path', { class: 'edge', d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2 - 2},${y2}`, 'marker-end': 'url(#arrow)' }));
    }
  }
  node.children.forEach((child) => draw(svg, child, x, y, options));
}

/**
 * @param plan the workflow's plan from the API, or null when it could not be read
 * @param tree the attempt's task tree (tree.js)
 * @param options {selected, onSelect(name)}
 * @returns an SVG element, or null when there are too many tasks to draw legibly
 */
export function dependencyGraph(plan, tree, options) {
  const { roots, count } = graphTree(plan, tree);
  if (count > MAX_NODES || roots.length === 0) return null;
  let y = 0;
  let width = 0;
  for (const root of roots) {
    measure(root);
    root.x = 0;
    root.y = y;
    y += root.h + ROW_GAP;
    width = Math.max(width, root.w);
  }
  const svg = s('svg', { class: 'graph', width: width + 2, height: y, viewBox: `-1 -1 ${width + 2} ${y}`, role: 'img', 'aria-label': 'Task dependencies' });
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto' },
    s('path', { d: 'M0,0 L8,4 L0,8 z', class: 'arrow-head' }))));
  roots.forEach((root) => draw(svg, root, 0, 0, options));
  return svg;
}
