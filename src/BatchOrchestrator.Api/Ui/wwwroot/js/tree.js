// An attempt's task records (flat full names: +wf, +wf+load, +wf+load^error) arranged as the
// tree they are: parents from the API's `parent`, else the longest recorded name a task's name
// extends by +child or ^error. Order: as the records came (the order tasks were first recorded).

function parentByName(name, names) {
  for (let i = name.length - 1; i > 0; i--) {
    if ((name[i] === '+' || name[i] === '^') && names.has(name.slice(0, i))) return name.slice(0, i);
  }
  return null;
}

/**
 * @returns {{roots: Node[], rows: Node[], byName: Map<string, Node>}} where a Node is
 * {task, name, local, depth, parent, children}; rows is the tree in display order.
 */
export function taskTree(tasks) {
  const names = new Set(tasks.map((t) => t.name));
  const byName = new Map(tasks.map((t) => [t.name, { task: t, name: t.name, children: [] }]));
  const roots = [];
  for (const node of byName.values()) {
    const parentName = node.task.parent && names.has(node.task.parent) ? node.task.parent : parentByName(node.name, names);
    node.parent = parentName ? byName.get(parentName) : null;
    node.local = parentName ? node.name.slice(parentName.length) : node.name;
    (node.parent ? node.parent.children : roots).push(node);
  }
  const rows = [];
  const walk = (node, depth) => {
    node.depth = depth;
    rows.push(node);
    node.children.forEach((child) => walk(child, depth + 1));
  };
  roots.forEach((root) => walk(root, 0));
  return { roots, rows, byName };
}
