//! Shared by the benchmarks that report memory: a global allocator that counts live heap
//! bytes and their peak. A benchmark installs it with
//! `#[global_allocator] static ALLOCATOR: heap::Counting = heap::Counting;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live heap bytes ([`LIVE`]) and their peak ([`PEAK`]).
pub(crate) struct Counting;

/// Heap bytes allocated and not yet freed.
pub(crate) static LIVE: AtomicUsize = AtomicUsize::new(0);
/// The most [`LIVE`] has been since it was last reset.
pub(crate) static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }
}
