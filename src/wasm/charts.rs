//! `draw_chart`: the page's main-thread entry point for charts. It decodes a [`Chart`] spec
//! (a plain JS object, see `crate::charts`) and draws it with plotters' canvas backend. A spec
//! that does not decode or validate comes back as a JS `Error` whose message is the
//! [`ChartError`]'s in English, with the Korean in its `ko` property; nothing here panics on bad
//! input.
//!
//! It must run on the main thread: plotters measures text with a DOM `<span>`, which a worker
//! does not have. The worker sends numbers; the page turns them into specs and calls this.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

use crate::charts::{draw, Chart, ChartError};
use crate::lang::Bilingual;

/// Draws `spec` onto the whole of `canvas` (its backing store size, in device pixels).
#[wasm_bindgen]
pub fn draw_chart(canvas: web_sys::HtmlCanvasElement, spec: JsValue) -> Result<(), JsValue> {
    // serde-wasm-bindgen's errors are JS errors whose text starts with "Error: ".
    let chart: Chart = serde_wasm_bindgen::from_value(spec).map_err(|e| {
        let text = e.to_string();
        to_js(ChartError::BadSpec(
            text.trim_start_matches("Error: ").to_string(),
        ))
    })?;
    let backend =
        CanvasBackend::with_canvas_object(canvas).ok_or_else(|| to_js(ChartError::NoContext))?;
    draw(&backend.into_drawing_area(), &chart).map_err(to_js)
}

fn to_js(e: ChartError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail; if it did, the English remains.
    let _ = js_sys::Reflect::set(
        &error,
        &JsValue::from_str("ko"),
        &JsValue::from_str(&e.ko()),
    );
    error.into()
}
