//! The wasm shell: the only module that touches wasm-bindgen, js-sys, web-sys and
//! serde-wasm-bindgen. It is deliberately thin:
//!
//! - [`WorkerCore`] wraps one [`Session`] for the module worker (`www/worker.js`): requests
//!   arrive as JS objects, are decoded into [`Request`], and every [`Event`] goes back as a JS
//!   object. Long jobs advance in slices through [`WorkerCore::tick`] so the worker's event loop
//!   stays free for `Cancel`.
//! - [`take_panic_message`] lets the worker report a panic (a trap in JS) as an `Error` event.
//! - [`catalog`] returns the parameter catalog (every attack, defence, training and sweep
//!   parameter with its range, defaults and help) to any thread, before a dataset is loaded.

mod charts;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::lang::{text, Bilingual, Lang, Text};
use crate::protocol::{decode_with, Event, Request};
use crate::session::Session;

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the panic hook that records the panic message for [`take_panic_message`].
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// The message of the last panic, if any (cleared by reading). After a panic the worker
/// re-instantiates the module, because Rust state may be half-updated.
#[wasm_bindgen]
pub fn take_panic_message() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow_mut().take())
}

/// advlab's version.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// The names of the datasets advlab knows (`iris`, `mnist`, `fashion-mnist`).
#[wasm_bindgen]
pub fn dataset_names() -> Vec<String> {
    crate::data::sources::DATASET_NAMES
        .iter()
        .map(|n| n.to_string())
        .collect()
}

/// The files of a dataset, relative to the `datasets/` folder, in the order `LoadDataset`
/// expects them; an empty array for an unknown name.
#[wasm_bindgen]
pub fn dataset_files(name: &str) -> Vec<String> {
    crate::session::dataset_files(name)
        .unwrap_or(&[])
        .iter()
        .map(|f| f.to_string())
        .collect()
}

/// The parameter catalog (`docs/parameters.md`) as a plain JS object: with a dataset name, its
/// `suggested` values are resolved for that dataset; without one (or `undefined`), the generic
/// catalog with the per-dataset suggestions in its `datasets` table. The page's main thread can
/// call it before any dataset is loaded.
#[wasm_bindgen]
pub fn catalog(dataset: Option<String>) -> Result<JsValue, JsValue> {
    let c = match dataset.as_deref() {
        Some(d) if !d.is_empty() => crate::catalog::catalog_for(d),
        _ => crate::catalog::catalog(),
    };
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    serde::Serialize::serialize(&c, &ser).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Checks a request object the way the worker decodes it, without running it: `null` when it
/// decodes, else `{message, ko, field}` with the worker's own words in English (`invalid
/// parameter eps = 7: must be ...`) and Korean (`잘못된 매개변수 eps = 7: ...`). The page calls it
/// on its main thread before sending a job, so a bad value is shown next to its control by the
/// same rules the worker applies. What needs the worker's state (a dataset's size, a model in a
/// slot) is still checked there.
#[wasm_bindgen]
pub fn check_request(request: JsValue) -> Result<JsValue, JsValue> {
    match decode_with(|| serde_wasm_bindgen::from_value::<Request>(request)) {
        Ok(_) => Ok(JsValue::NULL),
        Err(e) => {
            #[derive(serde::Serialize)]
            struct Problem {
                message: String,
                ko: String,
                field: Option<String>,
            }
            let problem = Problem {
                message: e.message(),
                ko: e.ko(),
                field: e.field(),
            };
            let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
            serde::Serialize::serialize(&problem, &ser)
                .map_err(|e| JsValue::from_str(&e.to_string()))
        }
    }
}

/// Checks one parameter value (`group`: an attack or defence name, `training` or `sweep`) as a
/// request carrying it would be checked: `undefined` when valid, else the worker's message in
/// `lang` (`"ko"` for Korean; English when absent or anything else: `invalid parameter eps = -1:
/// must be ...`). The page checks values from links and fields with it.
#[wasm_bindgen]
pub fn check_value(
    group: &str,
    name: &str,
    value: JsValue,
    lang: Option<String>,
) -> Option<String> {
    // NaN and infinities have no JSON form: they are refused as the worker would refuse them.
    let value = serde_wasm_bindgen::from_value::<serde_json::Value>(value)
        .unwrap_or(serde_json::Value::String("NaN".into()));
    let lang = Lang::from_code(lang.as_deref().unwrap_or("en"));
    crate::catalog::check_value(group, name, &value)
        .err()
        .map(|e| e.say(lang))
}

/// The report's experiments as one-click scenarios (`crate::scenarios::Scenario`, as plain objects).
#[wasm_bindgen]
pub fn scenarios() -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    serde::Serialize::serialize(&crate::scenarios::scenarios(), &ser)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Why a defence-stack piece (`{"method": ..., params}`) would change nothing, in `lang`
/// (`en` or `ko`), or `undefined` when it has an effect or does not decode.
#[wasm_bindgen]
pub fn piece_warning(piece: JsValue, lang: &str) -> Option<String> {
    let piece: crate::defences::StackPiece = serde_wasm_bindgen::from_value(piece).ok()?;
    piece
        .no_effect()
        .map(|(en, ko)| if lang == "ko" { ko } else { en })
}

/// The shipped reference models (`crate::scenarios::ReferenceModel`, as plain objects): name,
/// slot, training settings, the model each continues, and whether the single file carries it.
#[wasm_bindgen]
pub fn reference_models() -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    serde::Serialize::serialize(&crate::scenarios::reference_models(), &ser)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// The name of the shipped model that a `Train` request for `slot` with `settings` would make
/// (`undefended`: the name of the shipped model in the undefended slot, if any), or `undefined`
/// when none matches or the settings do not decode.
#[wasm_bindgen]
pub fn shipped_model(slot: &str, settings: JsValue, undefended: Option<String>) -> Option<String> {
    let slot = match slot {
        "undefended" => crate::protocol::Slot::Undefended,
        "defended" => crate::protocol::Slot::Defended,
        _ => return None,
    };
    let settings: crate::protocol::TrainSettings = serde_wasm_bindgen::from_value(settings).ok()?;
    crate::scenarios::shipped_for(slot, &settings, undefended.as_deref())
        .map(|m| m.name.to_string())
}

/// Examples per second of `mnist-seed` (batch `batch`), `[training step, input gradient]`, with
/// the naive or the fast kernels, each measured for at least `seconds`: the same work as
/// `advlab bench train` (`make bench` compares the two).
#[wasm_bindgen]
pub fn bench_kernels(naive: bool, batch: usize, seconds: f64) -> Vec<f64> {
    let mut now = || js_sys::Date::now() / 1000.0;
    match crate::nn::bench::kernel_rates(naive, batch, seconds.clamp(0.01, 60.0), &mut now) {
        Ok(r) => vec![r.train, r.input_gradient],
        Err(_) => Vec::new(),
    }
}

/// One worker's session, driven by `www/worker.js`.
#[wasm_bindgen]
pub struct WorkerCore {
    session: Session,
}

#[wasm_bindgen]
impl WorkerCore {
    /// A fresh session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WorkerCore {
        WorkerCore {
            session: Session::new(),
        }
    }

    /// Handles one request object; returns an array of event objects. A request that does not
    /// decode becomes an `Error` event, never an exception: a value that does not fit its field
    /// (`epochs: -5`, `learning_rate: "abc"`) names the field in `field` and says what it should
    /// be, as the CLI does.
    pub fn handle(&mut self, request: JsValue) -> Result<JsValue, JsValue> {
        let id = js_sys::Reflect::get(&request, &JsValue::from_str("id"))
            .ok()
            .and_then(|v| v.as_f64())
            .filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= u32::MAX as f64)
            .map(|v| v as u32);
        let decoded = decode_with(|| serde_wasm_bindgen::from_value::<Request>(request));
        let events = match decoded {
            Ok(req) => self.session.handle(req),
            Err(e) => vec![Event::error(id, Text::of(&e), e.field())],
        };
        to_js(&events)
    }

    /// A peer worker's gradient for this worker's data-parallel `Train` job `job`: the same as a
    /// `Gradient` request, without decoding 18 K values through serde at every batch. Returns an
    /// array of events (empty, or an `Error` with id 0 when it does not fit).
    #[allow(clippy::too_many_arguments)]
    pub fn gradient(
        &mut self,
        job: u32,
        step: f64,
        part: u32,
        values: Vec<f32>,
        loss_sum: f64,
        hits: f64,
        rows: u32,
    ) -> Result<JsValue, JsValue> {
        if !(step >= 0.0 && step.fract() == 0.0 && step <= crate::limits::MAX_SEED as f64) {
            let message = text!(
                "invalid parameter step = {step}: must be a whole batch number",
                "잘못된 매개변수 step = {step}: 배치 번호(0 이상의 정수)여야 합니다"
            );
            return to_js(&[Event::error(Some(0), message, Some("step".into()))]);
        }
        let gradient = crate::protocol::PartGradient {
            step: step as u64,
            part: part as usize,
            values: crate::protocol::F32s(values),
            loss_sum,
            hits,
            rows: rows as usize,
        };
        let request = Request::Gradient {
            id: 0,
            job,
            gradient: Box::new(gradient),
        };
        to_js(&self.session.handle(request))
    }

    /// Whether a job is running and `tick` should be called again after yielding.
    pub fn busy(&self) -> bool {
        self.session.busy()
    }

    /// Advances the running job for about `budget_ms` milliseconds; returns an array of events.
    pub fn tick(&mut self, budget_ms: f64) -> Result<JsValue, JsValue> {
        let end = js_sys::Date::now() + budget_ms;
        let events = self.session.tick(&mut || js_sys::Date::now() >= end);
        to_js(&events)
    }
}

impl Default for WorkerCore {
    fn default() -> Self {
        WorkerCore::new()
    }
}

fn to_js(events: &[Event]) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    serde::Serialize::serialize(events, &ser).map_err(|e| JsValue::from_str(&e.to_string()))
}
