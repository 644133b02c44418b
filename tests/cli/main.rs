//! The end-to-end tests of `scripto`: the real binary, a fresh config
//! directory per test, and a real `scripto-server` on a loopback socket.
//! One integration binary, so it links once.

mod support;

// The CLI foundation: settings, storage, profiles, output.
mod config;
mod directory;
mod help;
mod hostile;
mod keyrings;
mod precedence;
mod profiles;
mod storage;

// Talking to the server: auth and keys flows, faults.
mod audit;
mod auth;
mod complete;
mod device;
mod faults;
mod keys;
mod minted;
mod rotate;
mod run;
mod scan;
mod tables;
