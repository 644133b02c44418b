//! Helpers shared by the tests: a fresh config directory per test, the binary.
//! (to be written)

pub mod server;
