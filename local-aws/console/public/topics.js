import { act, api, field, h } from './dom.js';

/** Topics: subscriptions with protocols and filter policies; publish a message or a notification. */
export function topicsPage(main, heading) {
  heading.textContent = 'Topics';
  const container = h('div');
  main.append(container);
  const tables = new Map();

  function subscriptionRows(topic) {
    if (topic.subscriptions.length === 0) return [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'No subscriptions'))];
    return topic.subscriptions.map((s) =>
      h('tr', {}, h('td', {}, s.protocol), h('td', { class: 'mono' }, s.endpoint), h('td', {}, s.filterPolicy ? h('code', {}, `${s.filterPolicyScope ?? 'MessageAttributes'}: ${JSON.stringify(JSON.parse(s.filterPolicy))}`) : h('span', { class: 'muted' }, 'none (every message)')), h('td', {}, s.rawMessageDelivery ? 'raw' : 'SNS envelope')),
    );
  }

  function topicSection(topic, index) {
    const tbody = h('tbody', {}, subscriptionRows(topic));
    tables.set(topic.topicArn, tbody);
    const titleId = `topic-${index}`;
    return h(
      'section',
      { class: 'panel', 'aria-labelledby': titleId },
      h('h2', { id: titleId }, topic.name),
      h('p', { class: 'mono muted' }, topic.topicArn),
      h('table', {}, h('caption', {}, 'Subscriptions'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Protocol'), h('th', { scope: 'col' }, 'Endpoint'), h('th', { scope: 'col' }, 'Filter policy'), h('th', { scope: 'col' }, 'Delivery'))), tbody),
      h('div', { class: 'grid' }, publishForm(topic, index), notificationForm(topic, index)),
    );
  }

  function publishForm(topic, index) {
    const subject = h('input', { type: 'text' });
    const message = h('textarea', {}, '{"type":"canary","id":"via-topic"}');
    const attributes = h('textarea', { rows: 2 }, 'kind=job');
    const perProtocol = h('input', { type: 'checkbox', id: `per-protocol-${index}` });
    const submit = h('button', { class: 'primary', type: 'submit' }, 'Publish message');
    const output = h('p', { class: 'result' });
    const form = h(
      'form',
      { class: 'stack', 'aria-labelledby': `publish-${index}` },
      field('Subject', subject, 'optional'),
      field('Message', message, 'with one payload per protocol: {"default": "...", "sqs": "...", "lambda": "..."}'),
      field('Message attributes', attributes, 'one name=value per line; subscriptions filter on them (the work queue takes kind=job)'),
      h('div', {}, perProtocol, ' ', h('label', { for: perProtocol.id }, 'One payload per protocol (MessageStructure json)')),
      h('div', { class: 'actions' }, submit),
      output,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const list = attributes.value.split('\n').map((l) => l.trim()).filter(Boolean).map((line) => ({ name: line.split('=')[0], value: line.slice(line.indexOf('=') + 1) }));
      void act(submit, output, () => api(`/api/topics/${encodeURIComponent(topic.topicArn)}/publish`, { method: 'POST', body: { subject: subject.value || undefined, message: message.value, attributes: list, perProtocol: perProtocol.checked } }), (r) => `Published message ${r.messageId}`);
    });
    return h('section', {}, h('h3', { id: `publish-${index}` }, 'Publish a message'), form);
  }

  function notificationForm(topic, index) {
    const draft = h('textarea', { rows: '6' }, JSON.stringify({ type: 'instances-stopped', instanceIds: ['i-0123456789abcdef0'], schedule: 'office-hours' }, null, 2));
    const submit = h('button', { class: 'primary', type: 'submit' }, 'Publish notification');
    const output = h('p', { class: 'result' });
    const form = h('form', { class: 'stack', 'aria-labelledby': `notify-${index}` }, field('Notification (JSON: type and its fields)', draft), h('div', { class: 'actions' }, submit), output);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      let notification;
      try {
        notification = JSON.parse(draft.value);
      } catch {
        output.textContent = 'The notification is not JSON.';
        return;
      }
      void act(submit, output, () => api(`/api/topics/${encodeURIComponent(topic.topicArn)}/notify`, { method: 'POST', body: { notification } }), (r) => `Published notification ${r.messageId}`);
    });
    return h('section', {}, h('h3', { id: `notify-${index}` }, 'Publish a notification'), h('p', { class: 'muted' }, 'As the workers publish one (types: object-copied, copy-failed, instances-started, instances-stopped, instances-failed, volumes-cleaned-up, job-dead-lettered, alarm-raised): validated, rendered per subscriber kind by the service’s own code, attributes kind, eventType, severity and source.'), form);
  }

  async function refresh() {
    const topics = await api('/api/topics');
    if (tables.size === 0) container.replaceChildren(...topics.map(topicSection));
    else for (const topic of topics) tables.get(topic.topicArn)?.replaceChildren(...subscriptionRows(topic));
  }

  return { refresh, dispose() {} };
}
