//! The wasm shell (placeholder until the worker bindings land).
