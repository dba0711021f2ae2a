// The UI's only door to the server: the JSON API of docs/api.md. Errors come back as
// application/problem+json; they become ApiError with the server's own words.

import { attemptStatus, taskState } from './format.js';

const TOKEN_KEY = 'bo.apiToken';

export class ApiError extends Error {
  constructor(status, title, detail, body) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.body = body;
  }
}

/** The API token, when the server asks for one (it listens beyond loopback). Kept for this browser tab only. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => (value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY)),
};

const enc = encodeURIComponent;

function query(params) {
  const parts = Object.entries(params ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

async function send(method, path, body, { accept = 'application/json', signal } = {}) {
  // The server refuses changes without it (or a JSON body): a page on another site cannot send it.
  const headers = { Accept: accept, 'X-Requested-By': 'bo-ui' };
  const bearer = token.get();
  if (bearer) {
    headers.Authorization = `Bearer ${bearer}`;
    // The Functions app checks a function key in this header before our API runs; bo server ignores it.
    headers['x-functions-key'] = bearer;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // Not JSON (a proxy's page, a dropped connection): the status line says enough.
    }
    throw new ApiError(response.status, problem.title ?? `${response.status} ${response.statusText}`, problem.detail, problem);
  }
  return response;
}

const json = async (method, path, body, options) => {
  const response = await send(method, path, body, options);
  return response.status === 204 ? null : response.json();
};

/** An attempt as the UI uses it (statuses in Digdag's snake_case). */
export function attemptOf(raw) {
  return { ...raw, status: attemptStatus(raw.status) };
}

/** A task record as the UI uses it. */
export function taskOf(raw) {
  return { ...raw, state: taskState(raw.state) };
}

const pageOf = (raw, map) => ({ items: (raw.items ?? []).map(map), continuation: raw.continuation ?? null });

export const api = {
  projects: () => json('GET', '/api/projects'),
  workflows: (project) => json('GET', `/api/projects/${enc(project)}/workflows`),
  workflow: (project, workflow) => json('GET', `/api/projects/${enc(project)}/workflows/${enc(workflow)}`),
  files: (project) => json('GET', `/api/projects/${enc(project)}/files`),
  async file(project, path) {
    const response = await send('GET', `/api/projects/${enc(project)}/files/${path.split('/').map(enc).join('/')}`, undefined, { accept: 'text/plain' });
    return response.text();
  },
  schedules: () => json('GET', '/api/schedules'),
  schedule: (project, workflow) => json('GET', `/api/schedules/${enc(project)}/${enc(workflow)}`),
  /** enable, disable, skip ({count} or {untilSessionTime}) or backfill ({from, count, name, dryRun}). */
  scheduleAction: (project, workflow, action, body) => json('POST', `/api/schedules/${enc(project)}/${enc(workflow)}/${action}`, body ?? {}),

  sessions: async (filter) => pageOf(await json('GET', `/api/sessions${query(filter)}`),
    (s) => ({ ...s, latestAttempt: s.latestAttempt ? attemptOf(s.latestAttempt) : null })),
  session: async (id) => {
    const raw = await json('GET', `/api/sessions/${enc(id)}`);
    return { ...raw, latestAttempt: raw.latestAttempt ? attemptOf(raw.latestAttempt) : null };
  },
  sessionAttempts: async (id) => (await json('GET', `/api/sessions/${enc(id)}/attempts`)).map(attemptOf),

  attempts: async (filter) => pageOf(await json('GET', `/api/attempts${query(filter)}`), attemptOf),
  attempt: async (id) => attemptOf(await json('GET', `/api/attempts/${enc(id)}`)),
  tasks: async (id) => (await json('GET', `/api/attempts/${enc(id)}/tasks`)).map(taskOf),
  logFiles: (id) => json('GET', `/api/attempts/${enc(id)}/logs`),

  /** A task try's log (tries count from 1) from a byte offset: { text, nextOffset }. */
  async log(id, task, { attempt, offset = 0, signal } = {}) {
    const response = await send('GET', `/api/attempts/${enc(id)}/logs/${enc(task)}${query({ try: attempt, offset })}`, undefined, { accept: 'text/plain', signal });
    const text = await response.text();
    // The server returns whole UTF-8 characters, so the next offset is this chunk's byte length on.
    const header = Number(response.headers.get('X-Next-Offset'));
    const nextOffset = Number.isFinite(header) && response.headers.has('X-Next-Offset') ? header : offset + new TextEncoder().encode(text).length;
    return { text, nextOffset };
  },

  /** Starts a session's attempt; a 409 (the session already has it) gives that attempt with existing: true. */
  async start(body) {
    try {
      return { attempt: attemptOf(await json('POST', '/api/attempts', body)), existing: false };
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.body?.attempt) {
        return { attempt: attemptOf(error.body.attempt), existing: true };
      }
      throw error;
    }
  },
  retry: async (id, mode) => attemptOf(await json('POST', `/api/attempts/${enc(id)}/retry`, { mode })),
  kill: (id) => send('POST', `/api/attempts/${enc(id)}/kill`),
};
