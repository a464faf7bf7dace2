//! One tokio runtime per process, recreated in a child after `fork()`, and the two ways Python waits on it:
//! blocking (GIL released) and asyncio (through pyo3-async-runtimes' generic bridge).

use std::cell::OnceCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::time::Duration;

use pyo3::prelude::*;
use pyo3_async_runtimes::generic::{ContextExt, JoinError, Runtime as GenericRuntime};
use pyo3_async_runtimes::TaskLocals;
use tokio::runtime::Runtime;

/// The runtime of one process. A child of `fork()` finds a slot whose pid is not its own: the parent's worker
/// threads do not exist there, so it builds a fresh runtime and leaks the parent's (dropping it would wait on
/// threads that will never answer).
struct Slot {
    pid: u32,
    runtime: Runtime,
}

static SLOT: AtomicPtr<Slot> = AtomicPtr::new(std::ptr::null_mut());

/// The current process's runtime, created on first use (never at import: import must stay fast).
pub fn runtime() -> &'static Runtime {
    let pid = std::process::id();
    let cur = SLOT.load(Ordering::Acquire);
    // SAFETY: slots are leaked, never freed, so a non-null pointer stays valid for the life of the process.
    if let Some(slot) = unsafe { cur.as_ref() } {
        if slot.pid == pid {
            return &slot.runtime;
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("flarekit-worker")
        .build()
        .expect("flarekit: could not start the tokio runtime");
    let fresh = Box::into_raw(Box::new(Slot { pid, runtime }));
    match SLOT.compare_exchange(cur, fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: `fresh` was just leaked and is now published; it is never freed.
        Ok(_) => unsafe { &(*fresh).runtime },
        Err(winner) => {
            // Another thread of this process published a runtime first: use it. Ours is leaked rather than
            // dropped, because a runtime cannot be dropped from inside an async context.
            // SAFETY: `winner` is a published, never-freed slot.
            let slot = unsafe { &*winner };
            if slot.pid == pid {
                &slot.runtime
            } else {
                unsafe { &(*fresh).runtime }
            }
        }
    }
}

/// Run a future to completion with the GIL released. Ctrl-C still works: every 100 ms the wait checks
/// Python's signal handlers (a no-op off the main thread) and abandons the call if one raised.
///
/// The future runs as a task on the runtime's workers, not on the waiting thread: a response arrives in many
/// chunks, each passed from the connection's task to the call's, and on a worker that hand-over stays on one
/// thread, where on the caller's thread every chunk was a cross-thread wake-up (costly on a loaded machine, as a
/// 1.6 MB page showed). The caller is woken once, with the result.
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = runtime();
    py.detach(|| {
        let mut task = rt.spawn(fut);
        let waited = rt.block_on(async {
            // The first tick is 100 ms away: `interval`'s immediate first tick would wait for the timer wheel's next
            // millisecond, ~1 ms added to every blocking call.
            let every = Duration::from_millis(100);
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    out = &mut task => return Ok(out),
                    _ = tick.tick() => {
                        Python::attach(|py| py.check_signals())?;
                    }
                }
            }
        });
        match waited {
            Ok(Ok(out)) => Ok(out),
            // A panic in the call is the caller's, as when the future ran on this thread.
            Ok(Err(e)) => match e.try_into_panic() {
                Ok(payload) => std::panic::resume_unwind(payload),
                Err(e) => Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                    "flarekit: the call's task ended without a result: {e}"
                ))),
            },
            Err(signal) => {
                // Abandoned (Ctrl-C): the request is dropped, as before.
                task.abort();
                Err(signal)
            }
        }
    })
}

/// pyo3-async-runtimes' generic bridge, pointed at the fork-aware runtime above.
pub struct ForkSafeTokio;

tokio::task_local! {
    static TASK_LOCALS: OnceCell<TaskLocals>;
}

pub struct TokioJoinError(tokio::task::JoinError);

impl JoinError for TokioJoinError {
    fn is_panic(&self) -> bool {
        self.0.is_panic()
    }
    fn into_panic(self) -> Box<dyn std::any::Any + Send + 'static> {
        self.0.into_panic()
    }
}

type BoxedJoin = Pin<Box<dyn Future<Output = Result<(), TokioJoinError>> + Send>>;

impl GenericRuntime for ForkSafeTokio {
    type JoinError = TokioJoinError;
    type JoinHandle = BoxedJoin;

    fn spawn<F>(fut: F) -> Self::JoinHandle
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let task = InFlight::start();
        let h = runtime().spawn(async move {
            let _task = task;
            fut.await
        });
        Box::pin(async move { h.await.map_err(TokioJoinError) })
    }

    fn spawn_blocking<F>(f: F) -> Self::JoinHandle
    where
        F: FnOnce() + Send + 'static,
    {
        let task = InFlight::start();
        let h = runtime().spawn_blocking(move || {
            let _task = task;
            f()
        });
        Box::pin(async move { h.await.map_err(TokioJoinError) })
    }
}

impl ContextExt for ForkSafeTokio {
    fn scope<F, R>(locals: TaskLocals, fut: F) -> Pin<Box<dyn Future<Output = R> + Send>>
    where
        F: Future<Output = R> + Send + 'static,
    {
        let cell = OnceCell::new();
        let _ = cell.set(locals);
        Box::pin(TASK_LOCALS.scope(cell, fut))
    }

    fn get_task_locals() -> Option<TaskLocals> {
        TASK_LOCALS
            .try_with(|c| c.get().cloned())
            .unwrap_or_default()
    }
}

/// Tasks of the asyncio bridge still running: they attach to Python when they settle a future, which must not
/// happen once the interpreter finalizes (the thread is killed or the process aborts in `PyGILState_Release`).
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static EXIT_HOOK: AtomicBool = AtomicBool::new(false);

struct InFlight;

impl InFlight {
    fn start() -> InFlight {
        IN_FLIGHT.fetch_add(1, Ordering::AcqRel);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::AcqRel);
    }
}

/// At interpreter exit (an `atexit` hook, before finalization), wait with the GIL released, at most two seconds,
/// for the bridge's tasks to settle their futures.
#[pyfunction]
pub fn _drain_at_exit(py: Python<'_>) {
    if IN_FLIGHT.load(Ordering::Acquire) == 0 {
        return;
    }
    py.detach(|| {
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while IN_FLIGHT.load(Ordering::Acquire) > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_micros(200));
        }
    });
}

/// Register `_drain_at_exit` once, when the first awaitable is made (not at import: import stays lean).
fn register_exit_hook(py: Python<'_>) -> PyResult<()> {
    if EXIT_HOOK.swap(true, Ordering::AcqRel) {
        return Ok(());
    }
    let hook = py.import("flarekit._native")?.getattr("_drain_at_exit")?;
    py.import("atexit")?.call_method1("register", (hook,))?;
    Ok(())
}

/// Turn a Rust future into an asyncio future of the running loop. The value is converted to Python (with the
/// GIL, off the event loop's thread) when the future completes; cancelling the asyncio future drops the Rust one.
pub fn into_awaitable<'py, F, T>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = PyResult<T>> + Send + 'static,
    T: for<'a> IntoPyObject<'a> + Send + 'static,
{
    register_exit_hook(py)?;
    pyo3_async_runtimes::generic::future_into_py::<ForkSafeTokio, F, T>(py, fut)
}
