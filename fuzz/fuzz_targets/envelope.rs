#![no_main]
//! See `flarekit::testing::fuzz::envelope` for the input layout and the properties checked.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| flarekit::testing::fuzz::envelope(data));
