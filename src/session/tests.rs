//! Session tests on the real vendored data: every request kind end to end, the job life cycle
//! (progress, cancel, busy), errors that name their field, and model files.

mod defences;
mod hardening;
mod helpers;
mod jobs;
mod own_data;
mod parts;
mod quick;
mod robust;
