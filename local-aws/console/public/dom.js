// Small DOM helpers: elements are built with text nodes only (message bodies and keys are never parsed as HTML).

/** h('button', { class: 'primary', onclick }, 'Send') */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

let nextId = 0;
/** A labelled form field: label, control and an optional hint, tied by ids. */
export function field(labelText, control, hint) {
  control.id ||= `f${++nextId}`;
  const hintElement = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, labelText), control, hintElement);
}

const token = document.querySelector('meta[name="console-token"]')?.getAttribute('content') ?? '';

/** Calls the console's API: JSON in and out, the page's token on every state-changing request. */
export async function api(path, { method = 'GET', body, raw, contentType } = {}) {
  const headers = {};
  if (method !== 'GET') headers['X-Console-Token'] = token;
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['Content-Type'] = contentType || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const text = await response.text();
  let value;
  try {
    value = text ? JSON.parse(text) : undefined;
  } catch {
    value = { error: text };
  }
  if (!response.ok) throw new Error(value?.error ?? `HTTP ${response.status}`);
  return value;
}

/** Says something to screen reader users (and shows nothing extra to others). */
export function announce(text) {
  const region = document.getElementById('announcer');
  region.textContent = '';
  setTimeout(() => (region.textContent = text), 50);
}

/** A visible result line next to a form, also announced. */
export function showResult(element, text, isError = false) {
  element.textContent = text;
  element.className = `result${isError ? ' error' : ''}`;
  if (isError) document.getElementById('alerts').textContent = text;
  else announce(text);
}

/** Runs an action for a button: disables it meanwhile, reports the outcome in `output`. */
export async function act(button, output, action, describe) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const result = await action();
    showResult(output, describe(result));
    return result;
  } catch (error) {
    showResult(output, `Failed: ${error.message}`, true);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** Opens the page's modal dialog; focus returns to what had it when it closes. */
export function openDialog(title, body, buttons = [{ label: 'Close', value: 'close' }]) {
  const dialog = document.getElementById('dialog');
  const opener = document.activeElement;
  document.getElementById('dialog-title').textContent = title;
  document.getElementById('dialog-body').replaceChildren(body);
  document.getElementById('dialog-actions').replaceChildren(
    ...buttons.map((b) => h('button', { value: b.value, class: b.class ?? '' }, b.label)),
  );
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        if (opener instanceof HTMLElement) opener.focus();
        resolve(dialog.returnValue);
      },
      { once: true },
    );
    dialog.showModal();
  });
}

export const formatBytes = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`);
export const formatTime = (iso) => (iso ? new Date(iso).toLocaleString() : '');
export const shortName = (name, stagePrefix) => (stagePrefix && name.startsWith(stagePrefix) ? name.slice(stagePrefix.length) : name);
