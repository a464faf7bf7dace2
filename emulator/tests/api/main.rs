//! End-to-end tests: real HTTP against an in-process emulator on port 0.

mod account_tokens;
mod audit;
mod auth;
mod cli;
mod common;
mod crud;
mod faults;
mod paging;
mod resources;
mod seed;
mod tokens;
mod workers;
