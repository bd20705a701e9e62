// SPDX-License-Identifier: MIT
// Form fields with a label, a hint and a place for the API's error, so that an error
// shows next to the field it is about (aria-invalid + aria-describedby for readers).
import { h, clear } from './dom.js';

let seq = 0;

export function field(name, label, input, hint) {
  const id = `f-${name.replace(/\./g, '-')}-${++seq}`;
  input.id = id;
  input.name = name;
  const err = h('p', { class: 'field-error', id: `${id}-err`, attrs: { 'aria-live': 'polite' } });
  const hintEl = hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null;
  input.setAttribute('aria-describedby', [hintEl ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(' '));
  const wrap = h('div', { class: 'field', dataset: { field: name } }, h('label', { attrs: { for: id } }, label), input, hintEl, err);
  wrap.input = input;
  wrap.error = err;
  return wrap;
}

export class FormErrors {
  constructor(form, general) {
    this.form = form;
    this.general = general;
  }

  clear() {
    for (const el of this.form.querySelectorAll('.field')) {
      el.classList.remove('invalid');
      el.input?.removeAttribute('aria-invalid');
      if (el.error) clear(el.error);
    }
    clear(this.general);
    this.general.hidden = true;
  }

  // Shows err next to its field when there is one, else at the top of the form.
  show(err) {
    const name = err.field;
    let wrap = name ? this.form.querySelector(`.field[data-field="${CSS.escape(name)}"]`) : null;
    if (!wrap && name && name.includes('.')) wrap = this.form.querySelector(`.field[data-field="${CSS.escape(name.split('.')[0])}"]`);
    if (wrap) {
      wrap.classList.add('invalid');
      wrap.input.setAttribute('aria-invalid', 'true');
      wrap.error.textContent = err.message;
      wrap.input.focus();
    } else {
      this.general.textContent = err.message;
      this.general.hidden = false;
      this.general.focus();
    }
  }
}

export function errorBox() {
  return h('p', { class: 'form-error', hidden: true, tabIndex: -1, attrs: { role: 'alert' } });
}
