//! Neural-network engine: layers with forward and backward side by side, losses, initialisers,
//! optimisers, the sequential [`Model`](model) and `.safetensors` model files.
