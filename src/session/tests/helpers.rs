//! Shared set-up: a session with datasets loaded from `datasets/` as the worker would, and a
//! driver that runs a job to its end in small slices.

use crate::data::files::datasets_dir;
use crate::protocol::{Bytes, Event, Request, Slot, TrainSettings};
use crate::session::{dataset_files, Session};

/// A session with `names` loaded through `LoadDataset`, exactly as the worker does.
pub fn session_with(names: &[&str]) -> Session {
    let mut s = Session::new();
    for (i, name) in names.iter().enumerate() {
        let files = dataset_files(name)
            .unwrap()
            .iter()
            .map(|f| Bytes::from(std::fs::read(datasets_dir().join(f)).unwrap()))
            .collect();
        let ev = s.handle(Request::LoadDataset {
            id: i as u32,
            dataset: name.to_string(),
            files,
            image_size: None,
        });
        let Event::DatasetLoaded { info, .. } = &ev[0] else {
            panic!("{ev:?}")
        };
        assert!(!info.presets.is_empty(), "{info:?}");
    }
    s
}

/// Sends `req` and ticks until the job ends, `batches` units of work per slice; returns every event.
pub fn run(s: &mut Session, req: Request, batches: usize) -> Vec<Event> {
    let mut events = s.handle(req);
    let mut guard = 0;
    while s.busy() {
        let mut left = batches;
        events.extend(s.tick(&mut || {
            left = left.saturating_sub(1);
            left == 0
        }));
        guard += 1;
        assert!(guard < 1_000_000, "the job never ended");
    }
    events
}

/// The last event, which must be of the expected kind.
pub fn last(events: &[Event]) -> &Event {
    events.last().expect("at least one event")
}

/// Training settings with small defaults.
pub fn settings(dataset: &str, arch: &str, epochs: usize) -> TrainSettings {
    TrainSettings {
        dataset: dataset.into(),
        arch: Some(arch.into()),
        epochs: Some(epochs),
        batch_size: None,
        learning_rate: None,
        seed: 1,
        train_limit: None,
        test_limit: None,
        target_accuracy: None,
        defence: None,
        start_from: None,
    }
}

/// Trains `arch` into `slot` and returns the model's test accuracy.
pub fn train(s: &mut Session, slot: Slot, t: TrainSettings) -> f32 {
    let events = run(
        s,
        Request::Train {
            id: 100,
            slot,
            settings: t,
            parts: None,
        },
        50,
    );
    match last(&events) {
        Event::Trained { model, .. } => model.test_accuracy,
        other => panic!("training failed: {other:?}"),
    }
}

/// The error event's message and field.
pub fn error_of(events: &[Event]) -> (String, Option<String>) {
    match last(events) {
        Event::Error { message, field, .. } => (message.clone(), field.clone()),
        other => panic!("expected an error, got {other:?}"),
    }
}
