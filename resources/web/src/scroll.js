// SPDX-License-Identifier: MIT
// Auto-scroll that never fights the user: it follows new output only while the view is
// scrolled to the bottom; scrolling up pauses it, scrolling back down resumes it.
export class ScrollFollower {
  constructor(el, onChange = () => {}) {
    this.el = el;
    this.onChange = onChange;
    this.following = true;
    this.pending = 0;
    el.addEventListener('scroll', () => {
      const atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
      if (atBottom !== this.following) {
        this.following = atBottom;
        if (atBottom) this.pending = 0;
        this.onChange(this);
      }
    }, { passive: true });
  }

  // Call after content was added.
  added(n = 1) {
    if (this.following) this.el.scrollTop = this.el.scrollHeight;
    else { this.pending += n; this.onChange(this); }
  }

  toBottom() {
    this.el.scrollTop = this.el.scrollHeight;
    this.following = true;
    this.pending = 0;
    this.onChange(this);
  }
}
