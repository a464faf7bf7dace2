//! `flarekit._native`: the Python front door's native half. Every rule lives in the core crate; this crate only
//! translates values and errors (see `python/flarekit/` for the Python half).

#[cfg(feature = "bench-hooks")]
mod bench_hooks;
mod client;
mod convert;
mod errors;
mod files;
mod logging;
mod model;
mod ops;
mod options;
mod page;
mod runtime;
mod testing;
mod tokens;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::install();
    m.add("__version__", flarekit::VERSION)?;
    m.add_class::<client::Client>()?;
    m.add_class::<model::Model>()?;
    m.add_class::<page::PageState>()?;
    m.add_function(wrap_pyfunction!(ops::resolve, m)?)?;
    m.add_function(wrap_pyfunction!(ops::members, m)?)?;
    m.add_function(wrap_pyfunction!(ops::find_operation, m)?)?;
    m.add_function(wrap_pyfunction!(ops::operation_info, m)?)?;
    m.add_function(wrap_pyfunction!(ops::operation_count, m)?)?;
    m.add_function(wrap_pyfunction!(ops::py_is_paginated, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::_drain_at_exit, m)?)?;
    m.add_class::<tokens::Secret>()?;
    m.add_function(wrap_pyfunction!(tokens::tokens_call, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::tokens_call_async, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::cli_main, m)?)?;
    m.add_class::<testing::NativeEmulator>()?;
    m.add_function(wrap_pyfunction!(testing::start_emulator, m)?)?;
    #[cfg(feature = "bench-hooks")]
    bench_hooks::register(m)?;
    Ok(())
}
