//! The training loop: seeded shuffling and batching, one progress callback, a cancellation flag.
