//! Stop, as the page raises it while the kernel's thread is busy. The page's Stop message
//! waits until the running code yields; code that never yields (a script's loop inside a
//! callback) would never hear it. So the page also raises a flag it shares with the
//! kernel, which the script engine reads as it runs (`script_wire::Host::interrupted`).
//!
//! Order keeps it exact: the page raises the flag, then posts its interrupt request; the
//! kernel lowers the flag when it handles that request. Whatever the page sends after a
//! Stop arrives after that request, so no later run sees an earlier Stop.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A flag the page raises and the kernel lowers.
pub trait StopFlag {
    fn is_raised(&self) -> bool;
    fn lower(&self);
}

/// A flag in this process's memory: native tests raise it from another thread, as the
/// page raises the browser's from its own.
#[derive(Clone, Default, Debug)]
pub struct ThreadFlag(Arc<AtomicBool>);

impl ThreadFlag {
    pub fn raise(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl StopFlag for ThreadFlag {
    fn is_raised(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    fn lower(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}
