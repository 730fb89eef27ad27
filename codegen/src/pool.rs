//! The threads that render: work taken in order, the first failure in order reported.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::Error;

/// The number of threads rendering: `ERRSPEC_CODEGEN_THREADS` when set to a
/// positive number, else one per core.
///
/// The templates of a view render at once from its one context, so more
/// threads cost no second context, only each one's output buffer
/// (BENCHMARKS.md at `ccbf661`, section 12). The output, and the error reported when
/// several outputs fail, are the same on any number.
pub(crate) fn threads() -> usize {
    std::env::var("ERRSPEC_CODEGEN_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// Runs `work` on `threads` threads, each taking the next item in order.
/// After a failure, later items are skipped and earlier ones still run, so the
/// error returned is that of the first failing item in order, whichever
/// thread met it.
pub(crate) fn run_all<W: Sync>(
    threads: usize,
    work: &[W],
    run: impl Fn(&W) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    let results: Vec<Mutex<Option<Error>>> = work.iter().map(|_| Mutex::default()).collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicUsize::new(usize::MAX);
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = work.get(i) else { break };
            if i > failed.load(Ordering::Relaxed) {
                break;
            }
            if let Err(e) = run(item) {
                failed.fetch_min(i, Ordering::Relaxed);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
            }
        }
    };
    let threads = threads.min(work.len());
    if threads <= 1 {
        worker();
    } else {
        std::thread::scope(|s| {
            for _ in 1..threads {
                s.spawn(worker);
            }
            worker();
        });
    }
    match results
        .into_iter()
        .find_map(|r| r.into_inner().unwrap_or_else(|e| e.into_inner()))
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
