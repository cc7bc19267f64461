// The page's entry point: starts the module worker and shows the engine's state. All numbers
// are computed in the worker (www/worker.js → Rust in wasm); this thread only draws.
import { EngineClient } from './engine.js';

const status = document.getElementById('engine-status');
const engine = new EngineClient(new URL('./worker.js', import.meta.url));

engine.on('Ready', (ev) => {
  status.textContent = `Engine ready · advlab ${ev.version}`;
  status.dataset.state = 'ready';
});
engine.on('Error', (ev) => {
  if (ev.id === null || ev.id === undefined) {
    status.textContent = `Engine error: ${ev.message}`;
    status.dataset.state = 'error';
  }
});

// Exposed for tests and the browser console.
window.advlab = { engine };
