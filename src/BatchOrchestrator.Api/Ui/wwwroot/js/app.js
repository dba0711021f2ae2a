// The UI's entry: a small client-side router over the History API. The server answers every
// non-API path with this page, so links and reloads of /attempts/{id} land here too.

import { ApiError, token } from './api.js';
import { h, replace } from './dom.js';
import { attemptPage } from './views/attempt.js';
import { attemptsPage } from './views/attempts.js';
import { sessionPage, sessionsPage } from './views/sessions.js';
import { workflowPage } from './views/workflow.js';
import { workflowsPage } from './views/workflows.js';
import { errorBox } from './ui.js';

const ROUTES = [
  { pattern: /^\/$/, nav: 'attempts', page: attemptsPage },
  { pattern: /^\/workflows\/?$/, nav: 'workflows', page: workflowsPage },
  { pattern: /^\/workflows\/([^/]+)\/([^/]+)$/, nav: 'workflows', page: workflowPage },
  { pattern: /^\/sessions\/?$/, nav: 'sessions', page: sessionsPage },
  { pattern: /^\/sessions\/([^/]+)$/, nav: 'sessions', page: sessionPage },
  { pattern: /^\/attempts\/?$/, nav: 'attempts', page: attemptsPage },
  { pattern: /^\/attempts\/([^/]+)$/, nav: 'attempts', page: attemptPage },
];

const main = document.getElementById('main');
const noticeBox = document.getElementById('notice');
let current = null;

function notice(message, kind = 'info') {
  noticeBox.hidden = !message;
  noticeBox.className = `notice ${kind}`;
  replace(noticeBox, message ?? '', message ? h('button', { type: 'button', class: 'close', 'aria-label': 'Dismiss', onclick: () => notice(null) }, '×') : '');
}

/** A token form, when the server wants one (it listens beyond loopback). */
function askForToken() {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', 'aria-label': 'API token' });
  const form = h('form', { class: 'token-form' }, h('h2', {}, 'This server needs an API token'), input, h('button', { class: 'button primary' }, 'Use token'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    token.set(input.value.trim());
    show();
  });
  replace(main, form);
}

function fail(error) {
  if (error instanceof ApiError && error.status === 401) return askForToken();
  notice(error.message, 'error');
}

async function show() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const route = ROUTES.find((r) => r.pattern.test(location.pathname));
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === route?.nav);
  }
  if (!route) {
    replace(main, errorBox({ title: 'No such page', detail: location.pathname }));
    return;
  }
  const ctx = {
    main,
    params: route.pattern.exec(location.pathname).slice(1).map(decodeURIComponent),
    query: new URLSearchParams(location.search),
    state: history.state,
    signal: controller.signal,
    navigate,
    notice,
    fail,
  };
  replace(main, h('p', { class: 'muted' }, 'Loading…'));
  try {
    await route.page(ctx);
  } catch (error) {
    if (controller.signal.aborted) return;
    if (error instanceof ApiError && error.status === 401) return askForToken();
    replace(main, errorBox(error));
  }
}

function navigate(url, { state = null, replace: replacing = false } = {}) {
  notice(null);
  if (replacing) history.replaceState(state, '', url); else history.pushState(state, '', url);
  show();
}

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || link.target || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', show);

show();
