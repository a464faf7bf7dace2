//! Cancellation shared by a call (or a list walk) and the JS `AbortSignal` that controls it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

#[derive(Clone, Default)]
pub(crate) struct Cancel(Arc<Inner>);

#[derive(Default)]
struct Inner {
    flag: AtomicBool,
    notify: Notify,
}

impl Cancel {
    pub(crate) fn cancel(&self) {
        self.0.flag.store(true, Ordering::SeqCst);
        self.0.notify.notify_waiters();
    }

    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.flag.load(Ordering::SeqCst)
    }

    /// Resolves once `cancel` has been called (immediately if it already was).
    pub(crate) async fn cancelled(&self) {
        loop {
            let notified = self.0.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }

    /// Run `fut` unless cancelled first; a cancelled future is dropped, which closes its connection.
    pub(crate) async fn run<T>(
        &self,
        fut: impl std::future::Future<Output = flarekit::Result<T>>,
    ) -> flarekit::Result<T> {
        tokio::select! {
            biased;
            _ = self.cancelled() => Err(aborted()),
            r = fut => r,
        }
    }
}

pub(crate) fn aborted() -> flarekit::Error {
    flarekit::Error::new(flarekit::ErrorKind::UserAbort, "Request was aborted.")
}
