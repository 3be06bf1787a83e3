// The console's behaviour, served by the application itself (no CDN, no inline script):
// every form posts JSON to the API's own route with the session's CSRF token and shows the API's
// answer (a message beside each field for a 400, the workflow's reason for a 409); a request
// page follows the request's version and redraws itself when the request changes.

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
const POLL_MS = 2500;

/** Sets `value` at a dotted path such as `targets.0.name`; numeric segments make arrays. */
function setPath(target, path, value) {
  const keys = path.split('.');
  let node = target;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      node[key] = value;
      return;
    }
    node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key];
  });
}

/** Leaves out what was not filled in: empty fields, objects left empty, array rows left empty. */
function prune(value) {
  if (Array.isArray(value)) return value.map(prune).filter((item) => item !== undefined);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, prune(item)]).filter(([, item]) => item !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

function fieldValue(element) {
  const type = element.dataset.type;
  if (element.type === 'checkbox') return element.checked;
  if (type === 'now') return new Date().toISOString();
  const text = element.value.trim();
  if (type === 'list') return text ? text.split(',').map((item) => item.trim()).filter(Boolean) : [];
  if (text === '') return undefined;
  if (type === 'number') return Number(text);
  if (type === 'boolean') return text === 'true';
  if (type === 'datetime') {
    // datetime-local is the browser's local time; the API wants an instant with an offset.
    const instant = new Date(text);
    return Number.isNaN(instant.getTime()) ? text : instant.toISOString();
  }
  return text;
}

function bodyOf(form) {
  const body = {};
  for (const element of form.elements) {
    if (element.name) setPath(body, element.name, fieldValue(element));
  }
  return prune(body) ?? {};
}

function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
}

/** Puts each message beside the field it names (the API's messages start with the field's path), the rest on top. */
function showErrors(form, messages) {
  const slots = [...form.querySelectorAll('[data-error-for]')];
  const general = slots.find((slot) => slot.dataset.errorFor === '');
  let firstInvalid;
  for (const message of messages) {
    const slot = slots
      .filter((s) => s.dataset.errorFor && message.startsWith(`${s.dataset.errorFor} `))
      .sort((a, b) => b.dataset.errorFor.length - a.dataset.errorFor.length)[0] ?? general;
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    const field = slot === general ? undefined : form.elements.namedItem(slot.dataset.errorFor);
    if (field instanceof HTMLElement) {
      field.setAttribute('aria-invalid', 'true');
      firstInvalid ??= field;
    }
  }
  (firstInvalid ?? general)?.focus?.();
}

async function submit(form, event) {
  event.preventDefault();
  const button = form.querySelector('button[type="submit"]');
  const status = form.querySelector('.form-status');
  clearErrors(form);
  if (button) button.disabled = true;
  if (status) status.textContent = 'Sending…';
  try {
    const response = await fetch(form.dataset.api, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify(bodyOf(form)),
    });
    const answer = await response.json().catch(() => ({}));
    if (status) status.textContent = '';
    if (response.status === 401 && csrfToken) {
      location.assign('/console/sign-in');
    } else if (!response.ok) {
      showErrors(form, [].concat(answer.message ?? `The request failed (${response.status}).`));
    } else if (answer.message) {
      if (status) status.textContent = answer.message;
    } else if (form.dataset.next) {
      location.assign(form.dataset.next.replace('{requestId}', answer.requestId ?? ''));
    } else {
      if (status) status.textContent = 'Done.';
      await redraw({ force: true });
    }
  } catch {
    if (status) status.textContent = '';
    showErrors(form, ['The console could not reach the service. Try again.']);
  } finally {
    if (button?.isConnected) button.disabled = false;
  }
}

function bindForms(root) {
  for (const form of root.querySelectorAll('form[data-api]')) {
    form.addEventListener('submit', (event) => submit(form, event));
    form.addEventListener('input', () => { form.dataset.dirty = 'true'; });
  }
}

/** Someone is filling in a form: redrawing now would throw their input away. */
function busy(region) {
  return [...region.querySelectorAll('form')].some((form) => form.dataset.dirty === 'true' || form.contains(document.activeElement));
}

let live = document.getElementById('live');

async function redraw({ force = false } = {}) {
  if (!live) return;
  if (!force && busy(live)) {
    const note = document.getElementById('changed-note') ?? Object.assign(document.createElement('p'), { id: 'changed-note', className: 'warning', role: 'status' });
    note.textContent = 'This request has changed. Send or clear your form, and the page will show the news.';
    live.prepend(note);
    return;
  }
  const response = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
  if (response.redirected && new URL(response.url).pathname === '/console/sign-in') {
    location.assign('/console/sign-in');
    return;
  }
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('live');
  if (!fresh) return;
  live.replaceWith(fresh);
  live = fresh;
  bindForms(live);
}

async function follow() {
  if (!live) return;
  try {
    const response = await fetch(`/requests/${live.dataset.request}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (response.status === 401) {
      location.assign('/console/sign-in');
      return;
    }
    if (response.ok) {
      const detail = await response.json();
      const liveNow = String(detail.live !== null);
      if (String(detail.version) !== live.dataset.version || liveNow !== live.dataset.live) await redraw();
    }
  } catch {
    // The service is away for a moment; the next round tries again.
  }
  setTimeout(follow, POLL_MS);
}

bindForms(document);
if (live) setTimeout(follow, POLL_MS);

// A sign-in link carries its token in the fragment, which never reaches the server's logs.
for (const input of document.querySelectorAll('input[data-from-fragment]')) {
  input.value = decodeURIComponent(location.hash.slice(1));
  history.replaceState(null, '', location.pathname);
}
