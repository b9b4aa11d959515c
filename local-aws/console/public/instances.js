import { act, api, field, formatTime, h } from './dom.js';

/** Instances: the local EC2 instances with their schedule tag and state, start/stop, the scheduler now, unattached volumes. */
export function instancesPage(main, heading) {
  heading.textContent = 'Instances';
  const tbody = h('tbody');
  const volumes = h('tbody');
  const tagNote = h('p', { class: 'muted' });
  const output = h('p', { class: 'result' });
  const action = h('select', {}, h('option', { value: 'reconcile' }, 'reconcile (start and stop as the schedules say)'));
  const dryRun = h('input', { type: 'checkbox', id: 'dry-run', checked: true });
  const run = h('button', { class: 'primary', type: 'submit' }, 'Run the scheduler now');
  const runOutput = h('p', { class: 'result' });
  const runDetail = h('pre', { hidden: true, tabindex: '0' });
  const rows = new Map();

  const form = h('form', { class: 'field-row', 'aria-labelledby': 'scheduler-title' }, field('Action', action), h('div', {}, dryRun, ' ', h('label', { for: 'dry-run' }, 'Dry run (EC2 DryRun: decide, change nothing)')), h('div', { class: 'actions' }, run));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(run, runOutput, () => api('/api/scheduler/run', { method: 'POST', body: { action: action.value, dryRun: dryRun.checked } }), (r) => {
      runDetail.hidden = false;
      runDetail.textContent = JSON.stringify(r, null, 2);
      const what = r.dryRun ? 'dry run (nothing changed)' : 'ran';
      return r.ok ? `${r.functionName} ${what}: ${JSON.stringify(r.payload)}` : `${r.functionName} failed: ${r.reason}`;
    }).then(() => refresh());
  });

  function row(instance) {
    const state = h('span');
    const start = h('button', { 'aria-label': `Start ${instance.instanceId}` }, 'Start');
    const stop = h('button', { class: 'danger', 'aria-label': `Stop ${instance.instanceId}` }, 'Stop');
    for (const [button, verb] of [[start, 'start'], [stop, 'stop']]) {
      button.addEventListener('click', () => void act(button, output, () => api(`/api/instances/${encodeURIComponent(instance.instanceId)}/action`, { method: 'POST', body: { action: verb } }), (r) => r.changes.map((c) => `${c.instanceId} is now ${c.currentState}`).join('; ') || `${instance.instanceId}: nothing to do`).then(() => refresh()));
    }
    const tr = h('tr', { 'data-instance': instance.instanceId }, h('th', { scope: 'row', class: 'mono' }, instance.instanceId), h('td', {}, instance.name), h('td', { class: 'state' }, state), h('td', {}, instance.schedule ?? h('span', { class: 'muted' }, 'none'), instance.scheduled ? h('span', { class: 'badge ok' }, ' scheduled') : null), h('td', {}, instance.type), h('td', {}, formatTime(instance.launchTime)), h('td', {}, h('div', { class: 'actions' }, start, stop)));
    return { tr, state, start, stop };
  }

  async function refresh() {
    const result = await api('/api/instances');
    tagNote.textContent = `The scheduler acts on instances tagged ${result.scheduleTagKey}=<schedule name> (config/schedules.json).`;
    for (const instance of result.instances) {
      if (!rows.has(instance.instanceId)) {
        const r = row(instance);
        rows.set(instance.instanceId, r);
        tbody.append(r.tr);
      }
      const r = rows.get(instance.instanceId);
      r.state.textContent = instance.state;
      r.state.className = `state-${instance.state}`;
      r.start.disabled = instance.state !== 'stopped';
      r.stop.disabled = instance.state !== 'running';
    }
    if (result.instances.length === 0) tbody.replaceChildren(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No instances (stage local seeds two at start-up).')));
    volumes.replaceChildren(...(result.unattachedVolumes.length ? result.unattachedVolumes.map((v) => h('tr', {}, h('td', { class: 'mono' }, v.volumeId), h('td', { class: 'num' }, `${v.size} GiB`), h('td', {}, v.type), h('td', {}, formatTime(v.createTime)))) : [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, 'None'))]));
  }

  main.append(
    tagNote,
    h('table', {}, h('caption', {}, 'EC2 instances (moto), refreshed live'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Instance'), h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Schedule tag'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Launched'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))), tbody),
    output,
    h('section', { class: 'panel', 'aria-labelledby': 'scheduler-title' }, h('h2', { id: 'scheduler-title' }, 'Run the scheduler now'), h('p', { class: 'muted' }, 'A dry run applies the scheduler’s own rules and changes nothing; a real run invokes the ec2Scheduler function with {"action": …} through the Lambda API (it appears under Functions).'), form, runOutput, runDetail),
    h('section', { 'aria-labelledby': 'volumes-title' }, h('h2', { id: 'volumes-title' }, 'Unattached volumes'), h('table', {}, h('caption', { class: 'visually-hidden' }, 'Unattached EBS volumes'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Volume'), h('th', { scope: 'col', class: 'num' }, 'Size'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Created'))), volumes)),
  );
  return { refresh, dispose() {} };
}
