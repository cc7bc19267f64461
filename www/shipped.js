// Shipped reference models (models/*.safetensors, made natively and seeded by `make models` with
// the report's recipes; their provenance is in each file's metadata). A scenario opens on them,
// and `autorun=1` loads one instead of training whenever the training form asks for exactly the
// settings it was made with (Rust decides the match: src/scenarios/reference.rs), so a slide
// shows its result at once. The site serves them from models/; the single offline file carries
// those marked single_file, inlined like its datasets.
import { reference_models, shipped_model } from './pkg/advlab.js';
import { offline, inlinedFiles } from './env.js';

let all = null;
// Every shipped model: { name, slot, settings, base, single_file } (after the wasm is ready).
export function referenceModels() {
  if (!all) all = reference_models();
  return all;
}

export const referenceModel = (name) => referenceModels().find((m) => m.name === name) || null;

// The name of the shipped model a Train request for `slot` with `settings` would make (the
// undefended slot holding the shipped model `undefended`), or null.
export function shippedFor(slot, settings, undefended) {
  return shipped_model(slot, settings, undefended || undefined) ?? null;
}

// The file's bytes, or null when this packaging does not carry it.
export async function shippedBytes(name) {
  const file = `models/${name}.safetensors`;
  if (offline) {
    const bytes = inlinedFiles([file]);
    return bytes ? bytes[0] : null;
  }
  try {
    const res = await fetch(new URL(`./${file}`, import.meta.url));
    return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
  } catch {
    return null;
  }
}
