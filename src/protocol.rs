//! The worker protocol: one serde enum for requests (page → worker) and one for events
//! (worker → page). Both are plain Rust so that they are tested natively; the wasm shell
//! converts them with serde-wasm-bindgen.
//!
//! Every request carries an `id`; every event that answers a request carries the same `id`, so
//! the page can tie an error to the control that caused it.
//!
//! Main types: [`Request`], [`Event`].

use serde::{Deserialize, Serialize};

/// A request from the page to the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Request {
    /// Ask the worker to say it is ready again (the worker also says so unasked at start).
    Hello {
        /// Correlation id.
        id: u32,
    },
    /// Deliberately panics inside the worker. Exists so that tests can prove a panic comes back
    /// as an [`Event::Error`] and that the worker recovers; the page never sends it.
    DebugPanic {
        /// Correlation id.
        id: u32,
    },
}

impl Request {
    /// The request's correlation id.
    pub fn id(&self) -> u32 {
        match self {
            Request::Hello { id } | Request::DebugPanic { id } => *id,
        }
    }
}

/// An event from the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    /// The wasm module is loaded and the worker accepts requests.
    Ready {
        /// The `Hello` this answers; `None` when the worker announces itself at start.
        id: Option<u32>,
        /// advlab's version.
        version: String,
    },
    /// A request failed; the worker keeps running.
    Error {
        /// The id of the failed request, if it could be read.
        id: Option<u32>,
        /// A readable reason.
        message: String,
    },
}

/// The worker's state: everything that lives inside wasm between requests (datasets, models,
/// the running job). The wasm shell owns one `Session` and forwards every request to it.
///
/// Long jobs do not run inside [`Session::handle`]: it only starts them, and the shell then
/// calls [`Session::tick`] repeatedly, yielding to the JS event loop in between, so that a
/// `Cancel` request can arrive while a job runs.
#[derive(Debug, Default)]
pub struct Session {}

impl Session {
    /// A fresh session with no datasets or models.
    pub fn new() -> Session {
        Session::default()
    }

    /// Handles one request, returning the events it produces at once.
    pub fn handle(&mut self, request: Request) -> Vec<Event> {
        match request {
            Request::Hello { id } => vec![Event::Ready {
                id: Some(id),
                version: crate::VERSION.to_string(),
            }],
            Request::DebugPanic { id } => panic!("deliberate panic for request {id}"),
        }
    }

    /// Whether a job is running and [`Session::tick`] should be called again.
    pub fn busy(&self) -> bool {
        false
    }

    /// Advances the running job until `out_of_time()` says the slice is used up, returning
    /// progress and result events. Does nothing when idle.
    pub fn tick(&mut self, out_of_time: &mut dyn FnMut() -> bool) -> Vec<Event> {
        let _ = out_of_time;
        Vec::new()
    }
}

/// Parses a request from JSON-like text, or explains why it is not one (used by the shell and tests).
pub fn parse_request(text: &str) -> Result<Request, Event> {
    serde_json::from_str(text).map_err(|e| Event::Error {
        id: None,
        message: format!("bad request: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_events_round_trip_through_json() {
        let req: Request = serde_json::from_str(r#"{"type":"Hello","id":7}"#).unwrap();
        assert_eq!(req, Request::Hello { id: 7 });
        assert_eq!(req.id(), 7);
        let ev = Event::Error {
            id: Some(3),
            message: "bad".into(),
        };
        let text = serde_json::to_string(&ev).unwrap();
        assert_eq!(text, r#"{"type":"Error","id":3,"message":"bad"}"#);
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), ev);
    }

    #[test]
    fn hello_answers_ready_with_the_crate_version() {
        let events = Session::new().handle(Request::Hello { id: 1 });
        assert_eq!(
            events,
            vec![Event::Ready {
                id: Some(1),
                version: env!("CARGO_PKG_VERSION").to_string()
            }]
        );
    }

    #[test]
    fn an_unknown_request_is_a_parse_error_not_a_panic() {
        match parse_request(r#"{"type":"Explode","id":1}"#) {
            Err(Event::Error { message, .. }) => assert!(message.contains("Explode"), "{message}"),
            other => panic!("expected an error event, got {other:?}"),
        }
    }
}
