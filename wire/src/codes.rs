//! The machine-readable `error.code`s that both programs give, one constant
//! each, so a code is spelt once and a test can name it.
//!
//! A code is a promise to scripts (`docs/api.md`, `docs/decisions.md`): a
//! constant here is never renamed, only added to.

/// An API key whose format or checksum is wrong: a typo or a cut-off paste,
/// found before it is sent anywhere.
pub const INVALID_KEY_FORMAT: &str = "invalid_key_format";
