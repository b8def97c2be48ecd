/**
 * The player's controls from the keyboard (arrows or WASD, space to fire) and from on-screen
 * touch buttons (any element with `data-control="left|right|thrust|brake|fire"`).
 * @module control-input
 */
const KEYS = new Map([
  ['ArrowLeft', 'left'], ['KeyA', 'left'],
  ['ArrowRight', 'right'], ['KeyD', 'right'],
  ['ArrowUp', 'thrust'], ['KeyW', 'thrust'],
  ['ArrowDown', 'brake'], ['KeyS', 'brake'],
  ['Space', 'fire'],
]);

export class ControlInput {
  constructor() {
    /** Current state of each control. */
    this.controls = { left: false, right: false, thrust: false, brake: false, fire: false };
    this.held = new Map(); // source (key code or pointer id) -> control
    this.cleanups = [];
  }

  /**
   * Starts listening.
   * @param {Window} target where keyboard events come from
   * @param {HTMLElement} [touchPad] container of the touch buttons
   */
  attach(target, touchPad) {
    this.listen(target, 'keydown', (event) => {
      const control = KEYS.get(event.code);
      if (!control || event.target?.closest?.('input, textarea')) return;
      event.preventDefault();
      this.press(event.code, control);
    });
    this.listen(target, 'keyup', (event) => {
      if (KEYS.has(event.code)) this.release(event.code);
    });
    this.listen(target, 'blur', () => this.releaseAll());
    if (touchPad) {
      this.listen(touchPad, 'pointerdown', (event) => {
        const button = event.target.closest('[data-control]');
        if (!button) return;
        event.preventDefault();
        button.setPointerCapture?.(event.pointerId);
        this.press(`pointer${event.pointerId}`, button.dataset.control);
        button.classList.add('pressed');
      });
      for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) {
        this.listen(touchPad, type, (event) => {
          this.release(`pointer${event.pointerId}`);
          event.target.closest?.('[data-control]')?.classList.remove('pressed');
        });
      }
      this.listen(touchPad, 'contextmenu', (event) => event.preventDefault());
    }
  }

  /** Stops listening and releases everything. */
  detach() {
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    this.releaseAll();
  }

  /** @private */
  listen(target, type, handler) {
    target.addEventListener(type, handler, { passive: false });
    this.cleanups.push(() => target.removeEventListener(type, handler));
  }

  /** @private */
  press(source, control) {
    this.held.set(source, control);
    this.update();
  }

  /** @private */
  release(source) {
    this.held.delete(source);
    this.update();
  }

  /** @private */
  releaseAll() {
    this.held.clear();
    this.update();
  }

  /** @private A control is on while any key or finger holds it. */
  update() {
    for (const control of Object.keys(this.controls)) this.controls[control] = false;
    for (const control of this.held.values()) this.controls[control] = true;
  }
}
