import { act, api, field, formatTime, h, openDialog } from './dom.js';

/** Queues: counts of every queue and its DLQ, send, peek/receive in pages, open, delete, purge, redrive. */
export function queuesPage(main, heading, overview) {
  heading.textContent = 'Queues';
  const prefix = `messaging-workers-${overview.stage}-`;
  const rows = new Map();
  const tbody = h('tbody');
  const table = h(
    'table',
    {},
    h('caption', {}, 'Approximate counts (GetQueueAttributes), refreshed live'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Queue'), h('th', { scope: 'col', class: 'num' }, 'Visible'), h('th', { scope: 'col', class: 'num' }, 'In flight'), h('th', { scope: 'col', class: 'num' }, 'Delayed'), h('th', { scope: 'col' }, 'Dead-letter queue'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    tbody,
  );
  const detail = h('section', { 'aria-labelledby': 'queue-detail-title' });
  main.append(table, detail);
  let selected = location.hash.split('/')[2] ? decodeURIComponent(location.hash.split('/')[2]) : undefined;
  let queues = [];

  function row(queue) {
    const cells = { visible: h('td', { class: 'num' }), inFlight: h('td', { class: 'num' }), delayed: h('td', { class: 'num' }), dlq: h('td') };
    const open = h('button', { onclick: () => select(queue.name, true), 'aria-label': `Open ${queue.name}` }, 'Open');
    const tr = h('tr', { 'data-queue': queue.name }, h('th', { scope: 'row' }, h('span', { class: 'mono' }, queue.name.replace(prefix, '')), queue.isDeadLetterQueue ? h('span', { class: 'badge warn' }, ' DLQ') : null, queue.fifo ? h('span', { class: 'badge' }, ' FIFO') : null), cells.visible, cells.inFlight, cells.delayed, cells.dlq, h('td', {}, open));
    return { tr, cells };
  }

  async function refresh() {
    queues = await api('/api/queues');
    for (const queue of queues) {
      if (!rows.has(queue.name)) {
        const r = row(queue);
        rows.set(queue.name, r);
        tbody.append(r.tr);
      }
      const { cells, tr } = rows.get(queue.name);
      cells.visible.textContent = queue.visible;
      cells.inFlight.textContent = queue.inFlight;
      cells.delayed.textContent = queue.delayed;
      cells.dlq.textContent = queue.dlq ? `${queue.dlq.name.replace(prefix, '')}: ${queue.dlq.visible} visible` : '';
      tr.classList.toggle('selected', queue.name === selected);
    }
    if (selected && !detail.hasChildNodes()) select(selected, false);
    updateDetailCounts();
  }

  let detailCounts;
  function updateDetailCounts() {
    const queue = queues.find((q) => q.name === selected);
    if (queue && detailCounts) detailCounts.textContent = `${queue.visible} visible, ${queue.inFlight} in flight, ${queue.delayed} delayed`;
  }

  function select(name, focus) {
    const queue = queues.find((q) => q.name === name);
    if (!queue) return;
    selected = name;
    history.replaceState(null, '', `#/queues/${encodeURIComponent(name)}`);
    for (const [n, r] of rows) r.tr.classList.toggle('selected', n === name);
    const title = h('h2', { id: 'queue-detail-title', tabindex: '-1' }, queue.name);
    detailCounts = h('p', { class: 'muted', 'aria-live': 'off' });
    detail.replaceChildren(title, detailCounts, h('div', { class: 'grid' }, sendPanel(queue), adminPanel(queue)), messagesPanel(queue));
    updateDetailCounts();
    if (focus) title.focus();
  }

  function sendPanel(queue) {
    const body = h('textarea', { name: 'body', required: true }, '{"type":"canary","id":"from-console"}');
    const attributes = h('textarea', { name: 'attributes', rows: 2, placeholder: 'kind=job' });
    const group = h('input', { type: 'text', name: 'groupId' });
    const dedup = h('input', { type: 'text', name: 'dedupId' });
    const delay = h('input', { type: 'number', name: 'delay', min: 0, max: 900 });
    const submit = h('button', { class: 'primary', type: 'submit' }, 'Send message');
    const output = h('p', { class: 'result' });
    const form = h(
      'form',
      { class: 'stack', 'aria-label': `Send a message to ${queue.name}` },
      field('Body', body, 'JSON or text, as the consumer receives it'),
      field('Message attributes', attributes, 'one name=value per line (String attributes, up to 10)'),
      queue.fifo ? h('div', { class: 'field-row' }, field('Message group id', group, 'required on FIFO queues'), field('Deduplication id', dedup, 'optional: content-based deduplication is on')) : field('Delay (seconds)', delay, '0 to 900'),
      h('div', { class: 'actions' }, submit),
      output,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const attributeList = attributes.value.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => {
        const at = line.indexOf('=');
        return { name: at < 0 ? line : line.slice(0, at), value: at < 0 ? '' : line.slice(at + 1) };
      });
      void act(submit, output, () => api(`/api/queues/${encodeURIComponent(queue.name)}/send`, {
        method: 'POST',
        body: { body: body.value, attributes: attributeList, groupId: group.value || undefined, dedupId: dedup.value || undefined, delay: delay.value === '' ? undefined : Number(delay.value) },
      }), (r) => `Sent message ${r.messageId}`).then(() => refresh());
    });
    return h('section', { class: 'panel', 'aria-labelledby': 'send-title' }, h('h3', { id: 'send-title' }, 'Send a message'), form);
  }

  function adminPanel(queue) {
    const output = h('p', { class: 'result' });
    const purge = h('button', { class: 'danger' }, 'Purge…');
    purge.addEventListener('click', async () => {
      const confirmInput = h('input', { type: 'text', autocomplete: 'off' });
      const choice = await openDialog(`Purge ${queue.name}?`, h('div', {}, h('p', {}, 'Every message of the queue is deleted, and cannot be brought back.'), field('Type the queue name to confirm', confirmInput)), [
        { label: 'Cancel', value: 'cancel' },
        { label: 'Purge', value: 'purge', class: 'danger' },
      ]);
      if (choice !== 'purge') return;
      await act(purge, output, () => api(`/api/queues/${encodeURIComponent(queue.name)}/purge`, { method: 'POST', body: { confirm: confirmInput.value } }), () => `Purged ${queue.name}`);
      void refresh();
    });
    const buttons = [purge];
    let help = 'Purge deletes every message (with confirmation).';
    if (queue.isDeadLetterQueue) {
      const redrive = h('button', { class: 'primary' }, 'Redrive to source queue');
      redrive.addEventListener('click', async () => {
        await act(redrive, output, () => api(`/api/queues/${encodeURIComponent(queue.name)}/redrive`, { method: 'POST', body: {} }), (r) => `Moved ${r.moved} message(s) to ${r.to} (${r.method})${r.failed.length ? `; ${r.failed.length} failed` : ''}`);
        void refresh();
      });
      buttons.unshift(redrive);
      help = 'Redrive moves the messages back to the queue they came from (as npm run queue -- redrive).';
    }
    return h('section', { class: 'panel', 'aria-labelledby': 'admin-title' }, h('h3', { id: 'admin-title' }, 'Manage'), h('p', { class: 'muted' }, help), h('div', { class: 'actions' }, buttons), output);
  }

  function messagesPanel(queue) {
    const pageSize = h('select', {}, ...[10, 25, 50].map((n) => h('option', { value: n }, String(n))));
    const hold = h('input', { type: 'number', min: 1, max: 600, value: 30 });
    const visibility = h('input', { type: 'number', min: 0, max: 43200, value: 30 });
    const peek = h('button', { class: 'primary' }, 'Peek first page');
    const next = h('button', { disabled: true }, 'Next page');
    const release = h('button', { disabled: true }, 'Release shown');
    const receive = h('button', {}, 'Receive');
    const output = h('p', { class: 'result' });
    const tbody = h('tbody');
    const table = h('table', {}, h('caption', {}, 'Messages shown'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Message id'), h('th', { scope: 'col' }, 'Body'), h('th', { scope: 'col', class: 'num' }, 'Receives'), h('th', { scope: 'col' }, 'Sent'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))), tbody);
    let shown = [];
    let page = 0;
    const base = `/api/queues/${encodeURIComponent(queue.name)}`;

    function render() {
      tbody.replaceChildren(...shown.map((m) => {
        const openButton = h('button', { 'aria-label': `Open message ${m.messageId}` }, 'Open');
        const deleteButton = h('button', { class: 'danger', 'aria-label': `Delete message ${m.messageId}` }, 'Delete');
        openButton.addEventListener('click', () => void openMessage(m));
        deleteButton.addEventListener('click', async () => {
          const ok = await act(deleteButton, output, () => api(`${base}/delete`, { method: 'POST', body: { receiptHandle: m.receiptHandle } }), () => `Deleted message ${m.messageId}`);
          if (ok) {
            shown = shown.filter((x) => x !== m);
            render();
            void refresh();
          }
        });
        return h('tr', {}, h('td', { class: 'mono' }, m.messageId), h('td', { class: 'mono' }, m.body.length > 120 ? `${m.body.slice(0, 117)}…` : m.body), h('td', { class: 'num' }, m.receiveCount), h('td', {}, formatTime(m.attributes.SentTimestamp ? Number(m.attributes.SentTimestamp) : undefined)), h('td', {}, h('div', { class: 'actions' }, openButton, deleteButton)));
      }));
      release.disabled = shown.length === 0;
    }

    async function load(button, visibilitySeconds, append) {
      const result = await act(button, output, () => api(`${base}/receive`, { method: 'POST', body: { max: Number(pageSize.value), visibilitySeconds } }), (r) => (r.messages.length ? `${append ? `Page ${page + 1}: ` : ''}${r.messages.length} message(s) shown` : 'No message available (all may be in flight or held)'));
      if (!result) return;
      page = append ? page + 1 : 1;
      shown = append ? [...shown, ...result.messages] : result.messages;
      next.disabled = result.messages.length === 0;
      render();
      void refresh();
    }

    peek.addEventListener('click', () => void load(peek, Number(hold.value), false));
    next.addEventListener('click', () => void load(next, Number(hold.value), true));
    receive.addEventListener('click', () => void load(receive, Number(visibility.value), false));
    release.addEventListener('click', async () => {
      await act(release, output, () => api(`${base}/release`, { method: 'POST', body: { receiptHandles: shown.map((m) => m.receiptHandle) } }), (r) => `Released ${r.released} message(s): visible again`);
      shown = [];
      render();
      void refresh();
    });

    return h(
      'section',
      { class: 'panel', 'aria-labelledby': 'messages-title' },
      h('h3', { id: 'messages-title' }, 'Messages'),
      h('p', { class: 'note' }, 'SQS has no read-only view: peeking receives the messages (their receive count goes up) and keeps them hidden for the hold time, so the next page shows the following ones; "Release shown" makes them visible again. Messages of a queue a function consumes are usually taken by it first.'),
      h('div', { class: 'field-row' }, field('Page size', pageSize), field('Hold shown messages (s)', hold), h('div', { class: 'actions' }, peek, next, release)),
      h('div', { class: 'field-row' }, field('Visibility timeout (s)', visibility, 'for Receive'), h('div', { class: 'actions' }, receive)),
      output,
      table,
    );
  }

  async function openMessage(m) {
    const attributes = Object.entries(m.messageAttributes).map(([name, a]) => [name, `${a.value} (${a.dataType})`]);
    let body = m.body;
    try {
      body = JSON.stringify(JSON.parse(m.body), null, 2);
    } catch {
      // not JSON: as sent
    }
    const props = (pairs) => h('dl', { class: 'props' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, v)]));
    await openDialog(
      `Message ${m.messageId}`,
      h('div', {}, h('h3', {}, 'Body'), h('pre', { tabindex: '0' }, body), h('h3', {}, 'Message attributes'), attributes.length ? props(attributes) : h('p', { class: 'muted' }, 'none'), h('h3', {}, 'System attributes'), props(Object.entries(m.attributes).map(([k, v]) => [k, /Timestamp$/.test(k) && /^\d+$/.test(v) ? `${v} (${new Date(Number(v)).toISOString()})` : v])), h('h3', {}, 'Receive count and receipt handle'), props([['Receive count', String(m.receiveCount)], ['Receipt handle', m.receiptHandle]])),
    );
  }

  return { refresh, dispose() {} };
}
