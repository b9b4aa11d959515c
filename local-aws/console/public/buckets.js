import { act, api, field, formatBytes, formatTime, h } from './dom.js';

/** Buckets: the objects of each bucket (in pages), upload a file, download. */
export function bucketsPage(main, heading, overview) {
  heading.textContent = 'Buckets';
  const sections = overview.buckets.map((bucket, index) => bucketSection(bucket, index, overview));
  main.append(...sections.map((s) => s.element));
  return {
    refresh: () => Promise.all(sections.map((s) => s.refresh())),
    dispose() {},
  };
}

function bucketSection(bucket, index, overview) {
  const titleId = `bucket-${index}`;
  const tbody = h('tbody');
  const more = h('button', { hidden: true }, 'Show more');
  const status = h('p', { class: 'muted' });
  const trigger = overview.triggers.find((t) => t.kind === 's3' && t.source === `s3://${bucket}`);
  const file = h('input', { type: 'file' });
  const prefix = h('input', { type: 'text', placeholder: 'uploads/' });
  const upload = h('button', { class: 'primary', type: 'submit' }, 'Upload');
  const output = h('p', { class: 'result' });
  const form = h('form', { class: 'field-row', 'aria-label': `Upload to ${bucket}` }, field('File', file), field('Key prefix', prefix, 'optional'), h('div', { class: 'actions' }, upload));
  let pages = 1;
  let token = null;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) {
      output.textContent = 'Choose a file first';
      return;
    }
    const key = `${prefix.value}${chosen.name}`;
    void act(upload, output, () => api(`/api/buckets/${encodeURIComponent(bucket)}/objects?key=${encodeURIComponent(key)}`, { method: 'POST', raw: chosen, contentType: chosen.type }), () => `Uploaded ${key} to ${bucket}${trigger ? ` (this triggers ${trigger.functionName})` : ''}`).then(() => refresh());
  });

  const row = (o) => h('tr', {}, h('td', { class: 'mono' }, o.key), h('td', { class: 'num' }, formatBytes(o.size)), h('td', {}, formatTime(o.lastModified)), h('td', {}, h('a', { href: `/api/buckets/${encodeURIComponent(bucket)}/object?key=${encodeURIComponent(o.key)}`, download: o.key.split('/').pop(), 'aria-label': `Download ${o.key}` }, 'Download')));

  async function loadPages(count) {
    const objects = [];
    let next = null;
    for (let i = 0; i < count; i++) {
      const page = await api(`/api/buckets/${encodeURIComponent(bucket)}/objects?max=100${next ? `&token=${encodeURIComponent(next)}` : ''}`);
      objects.push(...page.objects);
      next = page.nextToken;
      if (!next) break;
    }
    return { objects, next };
  }

  async function refresh() {
    const { objects, next } = await loadPages(pages);
    token = next;
    tbody.replaceChildren(...objects.map(row));
    more.hidden = !token;
    status.textContent = objects.length ? `${objects.length} object(s) shown${token ? ', more in the bucket' : ''}` : 'The bucket is empty';
  }
  more.addEventListener('click', () => {
    pages += 1;
    void refresh();
  });

  const element = h(
    'section',
    { class: 'panel', 'aria-labelledby': titleId },
    h('h2', { id: titleId, class: 'mono' }, bucket),
    trigger ? h('p', { class: 'muted' }, `New objects trigger ${trigger.functionName}.`) : null,
    form,
    output,
    h('table', {}, h('caption', {}, `Objects of ${bucket}`), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col', class: 'num' }, 'Size'), h('th', { scope: 'col' }, 'Last modified'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Download')))), tbody),
    status,
    more,
  );
  return { element, refresh };
}
