import { api, h } from './dom.js';
import { bucketsPage } from './buckets.js';
import { executionsPage } from './executions.js';
import { functionsPage } from './functions.js';
import { instancesPage } from './instances.js';
import { queuesPage } from './queues.js';
import { topicsPage } from './topics.js';

const PAGES = { queues: queuesPage, topics: topicsPage, buckets: bucketsPage, instances: instancesPage, functions: functionsPage, executions: executionsPage };
const REFRESH_MS = 2000;
const main = document.getElementById('main');
let current;
let timer;
let overview;

async function refreshLoop() {
  clearTimeout(timer);
  const page = current;
  try {
    if (page && !document.hidden) await page.refresh();
    document.getElementById('refresh-state').textContent = `Live refresh every ${REFRESH_MS / 1000} s.`;
  } catch (error) {
    document.getElementById('refresh-state').textContent = `Refresh failed: ${error.message}`;
  }
  if (page === current) timer = setTimeout(refreshLoop, REFRESH_MS);
}

/** Shows the page the address names; after a navigation (not on first load) focus moves to its heading. */
async function show(navigated = false) {
  const name = (location.hash.replace(/^#\/?/, '').split('/')[0] || 'queues');
  const make = PAGES[name] ?? PAGES.queues;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  current?.dispose?.();
  overview ??= await api('/api/overview');
  const heading = h('h1', { tabindex: '-1' });
  main.replaceChildren(heading);
  current = make(main, heading, overview);
  document.title = `${heading.textContent} · local console (${overview.stage})`;
  if (navigated) heading.focus();
  await refreshLoop();
}

window.addEventListener('hashchange', () => void show(true));
show().catch((error) => main.replaceChildren(h('p', { role: 'alert' }, `The console could not load: ${error.message}`)));
