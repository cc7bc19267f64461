//! Datasets the user brings: a CIFAR-10 archive and its batch files, a `.zip` of class folders,
//! loaded through `LoadDataset` as the page sends them, trained with the family's default
//! architecture and attacked; bad files and settings are errors naming their field.

use super::helpers::{error_of, run, settings, train};
use crate::data::cifar::synthetic::{archive, separable_files};
use crate::protocol::{Bytes, Event, Request, Slot};
use crate::session::Session;

fn load(
    s: &mut Session,
    dataset: &str,
    files: Vec<Vec<u8>>,
    image_size: Option<&str>,
) -> Vec<Event> {
    s.handle(Request::LoadDataset {
        id: 1,
        dataset: dataset.into(),
        files: files.into_iter().map(Bytes::from).collect(),
        image_size: image_size.map(String::from),
    })
}

#[test]
fn a_cifar10_archive_loads_trains_with_cifar_small_and_is_attacked() {
    let mut s = Session::new();
    let ev = load(
        &mut s,
        "cifar10",
        vec![archive(&separable_files(100))],
        None,
    );
    let Event::DatasetLoaded { info, .. } = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!((info.train, info.test), (500, 100));
    assert_eq!(info.input_shape, [32, 32, 3]);
    assert_eq!(info.class_names[9], "truck");
    let presets: Vec<&str> = info.presets.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(presets, ["cifar-seed", "cifar-small"]);
    let mut t = settings("cifar10", "cifar-small", 4);
    t.arch = None; // the family's quick CNN
    let acc = train(&mut s, Slot::Undefended, t);
    assert!(acc > 0.5, "accuracy {acc} on a separable task (chance 0.1)");
    let mut attack: crate::protocol::AttackSettings =
        serde_json::from_value(serde_json::json!({"dataset": "cifar10", "model": "undefended", "attack": {"attack": "fgsm", "eps": 0.03}, "samples": {"kind": "test", "start": 0, "count": 4}}))
            .unwrap();
    attack.model = Slot::Undefended;
    let events = run(
        &mut s,
        Request::Attack {
            id: 3,
            settings: attack,
        },
        50,
    );
    assert!(
        matches!(events.last(), Some(Event::AttackDone { .. })),
        "{:?}",
        events.last()
    );
}

#[test]
fn the_batch_files_and_a_zip_of_class_folders_load_too_and_bad_input_names_its_field() {
    let mut s = Session::new();
    let files: Vec<Vec<u8>> = separable_files(10).into_iter().map(|(_, d)| d).collect();
    assert!(matches!(
        load(&mut s, "cifar10", files.clone(), None)[0],
        Event::DatasetLoaded { .. }
    ));
    let (msg, field) = error_of(&load(&mut s, "cifar10", files[..3].to_vec(), None));
    assert_eq!(field.as_deref(), Some("files"), "{msg}");
    let (msg, field) = error_of(&load(
        &mut s,
        "cifar10",
        files[..1].to_vec(),
        Some("grey28"),
    ));
    assert_eq!(field.as_deref(), Some("image_size"), "{msg}");
    let (msg, _) = error_of(&load(
        &mut s,
        "images",
        vec![b"not a zip".to_vec()],
        Some("colour32"),
    ));
    assert!(msg.contains("zip"), "{msg}");
    let (msg, field) = error_of(&load(&mut s, "images", vec![Vec::new()], Some("huge")));
    assert_eq!(field.as_deref(), Some("image_size"), "{msg}");
}
