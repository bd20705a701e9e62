// SPDX-License-Identifier: MIT
// Imported first. The page's Content-Security-Policy allows no inline style, except
// <style> elements that carry the nonce gasperd put in this response's CSP header and in
// <meta name="csp-nonce">. xterm.js builds a few <style> elements at run time (its theme
// and row sizes): every <style> this bundle creates gets that nonce. xterm also sets
// style attributes with setAttribute('style', …), which the CSP forbids; those go through
// the CSSOM (element.style.cssText), which a CSP does not restrict because only script
// can use it, and script is 'self' only. Markup can therefore carry no style at all.
const nonce = document.querySelector('meta[name="csp-nonce"]')?.getAttribute('content') || '';

const createElement = Document.prototype.createElement;
Document.prototype.createElement = function (tag, options) {
  const el = createElement.call(this, tag, options);
  if (nonce && typeof tag === 'string' && tag.toLowerCase() === 'style') el.setAttribute('nonce', nonce);
  return el;
};

const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (name, value) {
  if (typeof name === 'string' && name.toLowerCase() === 'style' && this.style) {
    this.style.cssText = String(value);
    return;
  }
  setAttribute.call(this, name, value);
};
