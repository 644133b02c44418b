//! Talking to a scripto server: the HTTP client, the wire types, and the
//! masking that keeps secrets out of everything the client prints.

pub mod client;
pub mod redact;
pub mod types;

pub use client::{Answer, Client, ClientOptions};
