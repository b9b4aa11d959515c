import { api, field, formatTime, h } from './dom.js';

/** Functions: the last invocations the local AWS made, newest first, live (server-sent events). */
export function functionsPage(main, heading, overview) {
  heading.textContent = 'Functions';
  const filter = h('select', {}, h('option', { value: '' }, 'All functions'), ...overview.functions.map((f) => h('option', { value: f }, f)));
  const tbody = h('tbody');
  const count = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  let invocations = [];
  let capacity = 0;

  const triggersList = h('ul', {}, ...overview.triggers.map((t) => h('li', {}, h('span', { class: 'mono' }, t.source), ` (${t.kind}) → `, h('span', { class: 'mono' }, t.functionName))));

  function row(inv) {
    const details = h('pre', { hidden: true, tabindex: '0' });
    const show = h('button', { 'aria-expanded': 'false', 'aria-label': `Show event of invocation ${inv.id}` }, 'Show event');
    show.addEventListener('click', async () => {
      const open = show.getAttribute('aria-expanded') === 'true';
      if (!open && !details.textContent) {
        try {
          details.textContent = (await api(`/api/invocations/${inv.id}/event`)).event;
        } catch (error) {
          details.textContent = error.message;
        }
      }
      details.hidden = open;
      show.setAttribute('aria-expanded', String(!open));
      show.textContent = open ? 'Show event' : 'Hide event';
      show.setAttribute('aria-label', `${show.textContent} of invocation ${inv.id}`);
    });
    const result = inv.ok
      ? h('span', {}, h('span', { class: 'badge ok' }, 'ok'), ' ', h('span', { class: 'mono' }, JSON.stringify(inv.result) ?? 'null'))
      : h('span', {}, h('span', { class: 'badge bad' }, 'error'), ' ', h('span', { class: 'mono' }, inv.error));
    const failures = inv.batchItemFailures ? (inv.batchItemFailures.length ? h('div', {}, h('strong', {}, `batchItemFailures (${inv.batchItemFailures.length}): `), h('span', { class: 'mono' }, inv.batchItemFailures.join(', '))) : h('div', { class: 'muted' }, 'batchItemFailures: none')) : null;
    return h(
      'tr',
      { 'data-invocation': inv.id, 'data-function': inv.functionName, 'data-trigger': inv.trigger },
      h('td', {}, formatTime(inv.startedAt)),
      h('td', { class: 'mono', title: `qualifier: ${inv.qualifier}` }, `${inv.functionName.replace(`messaging-workers-${overview.stage}-`, '')}:${inv.qualifier}`),
      h('td', {}, inv.trigger),
      h('td', {}, h('div', { class: 'summary' }, inv.summary), failures, show, details),
      h('td', { class: 'num' }, `${inv.durationMs} ms`),
      h('td', { class: 'result-cell' }, result),
    );
  }

  function render() {
    const shown = invocations.filter((inv) => !filter.value || inv.functionName === filter.value);
    tbody.replaceChildren(...shown.map(row));
    count.textContent = `${shown.length} invocation(s) shown (the last ${capacity} are kept)`;
  }

  filter.addEventListener('change', render);
  const events = new EventSource('/api/events');
  events.addEventListener('invocation', (message) => {
    const inv = JSON.parse(message.data);
    if (invocations.some((x) => x.id === inv.id)) return;
    invocations = [inv, ...invocations].slice(0, capacity || 200);
    if (!filter.value || inv.functionName === filter.value) tbody.prepend(row(inv));
    count.textContent = `${tbody.children.length} invocation(s) shown (the last ${capacity} are kept)`;
  });

  let loaded = false;
  async function refresh() {
    // The stream brings new invocations; the list is loaded once (and again after a reconnect).
    if (loaded && events.readyState === EventSource.OPEN) return;
    const result = await api('/api/invocations');
    capacity = result.capacity;
    invocations = result.invocations;
    loaded = true;
    render();
  }

  main.append(
    h('p', { class: 'note' }, 'These are the invocations the local AWS makes: SQS event source mappings, S3 notifications, SNS subscriptions and runs started from this console. Invocations by serverless-offline’s own schedule rules (the ec2Scheduler’s cron) and by `sls invoke local` happen outside it and are not listed; see their output in the terminal.'),
    h('details', {}, h('summary', {}, 'Triggers of this stage'), triggersList),
    field('Function', filter),
    count,
    h('table', {}, h('caption', {}, 'Invocations, newest first'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col' }, 'Function'), h('th', { scope: 'col' }, 'Trigger'), h('th', { scope: 'col' }, 'Event'), h('th', { scope: 'col', class: 'num' }, 'Duration'), h('th', { scope: 'col' }, 'Result'))), tbody),
  );
  return { refresh, dispose: () => events.close() };
}
