// SPDX-License-Identifier: MIT
// A modal confirmation on <dialog>: focus is trapped by the browser, Escape cancels.
import { h } from './dom.js';

export function confirmDialog({ title, body, confirm, danger }) {
  return new Promise((resolve) => {
    const ok = h('button', { type: 'submit', value: 'ok', class: danger ? 'danger' : 'primary' }, confirm);
    const cancel = h('button', { type: 'submit', value: 'cancel', attrs: { autofocus: true } }, 'Cancel');
    const dlg = h('dialog', { attrs: { 'aria-labelledby': 'dlg-title' } },
      h('form', { method: 'dialog' }, h('h2', { id: 'dlg-title' }, title), h('p', {}, body), h('div', { class: 'actions' }, cancel, ok)));
    dlg.addEventListener('close', () => { resolve(dlg.returnValue === 'ok'); dlg.remove(); });
    document.body.append(dlg);
    dlg.showModal();
  });
}
