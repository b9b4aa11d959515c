import { act, api, field, formatTime, h } from './dom.js';

const BADGE = { SUCCEEDED: 'ok', RUNNING: '', FAILED: 'bad', TIMED_OUT: 'bad', ABORTED: 'bad' };
const pretty = (text) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text ?? '';
  }
};

/**
 * Executions: the stage's state machines (run by the local AWS from the compiled template), their
 * executions with their state, and each step's input and output; start one with an input.
 */
export function executionsPage(main, heading) {
  heading.textContent = 'Executions';
  const machine = h('select', { id: 'state-machine' });
  const input = h('textarea', { id: 'execution-input', rows: '3', spellcheck: 'false' }, '{"dryRun": true, "ageLimit": 14}');
  const start = h('button', { type: 'submit' }, 'Start execution');
  const startOutput = h('p', { class: 'result', role: 'status' });
  const form = h('form', { class: 'field-row', 'aria-labelledby': 'start-title' }, field('State machine', machine), field('Input (JSON)', input, 'As aws stepfunctions start-execution --input: {"dryRun"?: boolean, "ageLimit"?: days}'), h('div', { class: 'actions' }, start));
  const tbody = h('tbody');
  const detail = h('section', { 'aria-labelledby': 'execution-title', hidden: true });
  let selected;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(start, startOutput, () => api(`/api/state-machines/${encodeURIComponent(machine.value)}/start`, { method: 'POST', body: { input: input.value } }), (r) => `Started ${r.executionArn.split(':').pop()}`).then((r) => {
      if (r) {
        selected = r.executionArn;
        void refresh();
      }
    });
  });

  function stepRow(step) {
    const io = (label, text) => h('details', {}, h('summary', {}, label), h('pre', { tabindex: '0' }, pretty(text)));
    return h(
      'tr',
      { 'data-step': step.name },
      h('th', { scope: 'row', class: 'mono' }, step.name),
      h('td', {}, step.type),
      h('td', {}, formatTime(step.enteredAt)),
      h('td', {}, io('Input', step.input)),
      h('td', {}, step.error ? h('span', {}, h('span', { class: 'badge bad' }, step.error), ' ', h('span', { class: 'mono' }, step.cause ?? '')) : step.output === undefined ? h('span', { class: 'muted' }, 'running') : io('Output', step.output)),
    );
  }

  async function showExecution(arn) {
    const execution = await api(`/api/executions/${encodeURIComponent(arn)}`);
    const outcome = execution.status === 'SUCCEEDED' ? h('pre', { tabindex: '0' }, pretty(execution.output)) : execution.error ? h('p', {}, h('strong', {}, execution.error), ': ', h('span', { class: 'mono' }, execution.cause ?? '')) : h('p', { class: 'muted' }, 'Running');
    detail.hidden = false;
    detail.replaceChildren(
      h('h2', { id: 'execution-title' }, `Execution ${execution.name}`),
      h('p', {}, h('span', { class: `badge ${BADGE[execution.status] ?? ''}` }, execution.status), ` started ${formatTime(execution.startDate)}${execution.stopDate ? `, ended ${formatTime(execution.stopDate)}` : ''}`),
      h('h3', {}, 'Input'),
      h('pre', { tabindex: '0' }, pretty(execution.input)),
      h('h3', {}, execution.status === 'SUCCEEDED' ? 'Output' : 'Outcome'),
      outcome,
      h('table', {}, h('caption', {}, `Steps (${execution.steps.length}), in the order they were entered`), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Entered'), h('th', { scope: 'col' }, 'Input'), h('th', { scope: 'col' }, 'Output'))), h('tbody', {}, ...execution.steps.map(stepRow))),
    );
  }

  async function refresh() {
    const result = await api('/api/executions');
    if (machine.options.length !== result.stateMachines.length) machine.replaceChildren(...result.stateMachines.map((m) => h('option', { value: m.arn }, m.name)));
    tbody.replaceChildren(
      ...(result.executions.length
        ? result.executions.map((e) => {
            const open = h('button', { 'aria-label': `Show steps of execution ${e.name}` }, 'Show steps');
            open.addEventListener('click', () => {
              selected = e.executionArn;
              void showExecution(e.executionArn);
            });
            return h('tr', { 'data-execution': e.name }, h('th', { scope: 'row', class: 'mono' }, e.name), h('td', {}, e.stateMachine), h('td', { class: 'state' }, h('span', { class: `badge ${BADGE[e.status] ?? ''}` }, e.status), e.error ? ` ${e.error}` : ''), h('td', {}, formatTime(e.startDate)), h('td', {}, formatTime(e.stopDate)), h('td', {}, open));
          })
        : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No executions yet'))]),
    );
    if (selected) await showExecution(selected);
  }

  main.append(
    h('p', { class: 'note' }, 'The state machines of this stage, run locally from the compiled template (aws-local-stepfunctions; Lambda tasks through the local Lambda API; waits shortened on local stages). Their daily schedule is not fired locally: start an execution here or with aws stepfunctions start-execution --endpoint-url.'),
    h('section', {}, h('h2', { id: 'start-title' }, 'Start an execution'), form, startOutput),
    h('table', {}, h('caption', {}, 'Executions, newest first'), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'State machine'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col' }, 'Ended'), h('th', { scope: 'col' }, 'Steps'))), tbody),
    detail,
  );
  return { refresh };
}
