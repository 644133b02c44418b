//! What `scripto` and `scripto-server` agree on: the API key format, the
//! `Secret` type, and the JSON bodies of the wire contract (`docs/api.md`).
//!
//! Times are RFC 3339 strings in UTC, kept as strings here so this crate
//! stays free of a date library; each side parses what it needs.

pub mod codes;
pub mod key;
#[cfg(feature = "openapi")]
mod schemas;
pub mod secret;
pub mod types;

pub use key::{KeyFormatError, check_key, key_start};
pub use secret::Secret;
