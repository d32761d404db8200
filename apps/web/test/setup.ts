import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// antd pages render slowly in jsdom on a loaded two-core machine: wait up to 10 s for elements
// to appear (a failing test still fails, only later), instead of the library's default second.
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no matchMedia; antd's responsive utilities call it on mount.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (q: string) => ({
    matches: false,
    media: q,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent() {
      return false;
    },
  }),
});

// Nor ResizeObserver, which antd's layout components (Sider, Menu overflow) observe with.
window.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// Nor a canvas: antd's QRCode draws on one, and simply skips drawing when there is no 2D context.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// Vitest does not enable globals here, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.history.replaceState(null, '', '/');
  document.documentElement.lang = '';
});
