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
}

impl Request {
    /// The request's correlation id.
    pub fn id(&self) -> u32 {
        match self {
            Request::Hello { id } => *id,
        }
    }
}

/// An event from the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Event {
    /// The wasm module is loaded and the worker accepts requests.
    Ready {
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

/// Handles one request in the pure core, returning the events it produces.
///
/// The wasm shell turns JS values into a [`Request`] and posts back every returned [`Event`].
pub fn handle(request: &Request) -> Vec<Event> {
    match request {
        Request::Hello { .. } => vec![Event::Ready {
            version: crate::VERSION.to_string(),
        }],
    }
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
        let events = handle(&Request::Hello { id: 1 });
        assert_eq!(
            events,
            vec![Event::Ready {
                version: env!("CARGO_PKG_VERSION").to_string()
            }]
        );
    }

    #[test]
    fn an_unknown_request_is_a_parse_error_not_a_panic() {
        assert!(serde_json::from_str::<Request>(r#"{"type":"Explode","id":1}"#).is_err());
    }
}
