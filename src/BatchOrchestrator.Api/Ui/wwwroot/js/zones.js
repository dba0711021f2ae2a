// Which time zone a workflow's times are shown in: its own (the .dig file's `timezone:`), read
// once per project for the page's life, so lists of many attempts ask the server once a project.

import { api } from './api.js';

const byProject = new Map();

/** The workflows' zones of a project: Map(workflow → zone); empty when the project cannot be read. */
function zonesOf(project) {
  if (!byProject.has(project)) {
    byProject.set(project, api.workflows(project)
      .then((workflows) => new Map(workflows.map((w) => [w.name, w.timeZone])))
      .catch(() => new Map()));
  }
  return byProject.get(project);
}

/** A workflow's zone (UTC when it names none; null when it is not known). */
export async function zoneOf(project, workflow) {
  return (await zonesOf(project)).get(workflow) ?? null;
}

/** Zones of every (project, workflow) of a list of records: a function record → zone. */
export async function zonesFor(records) {
  const projects = [...new Set(records.map((r) => r.project))];
  const maps = new Map(await Promise.all(projects.map(async (p) => [p, await zonesOf(p)])));
  return (record) => maps.get(record.project)?.get(record.workflow) ?? null;
}
