//! `journal::abandon_all` (what the binary's SIGINT/SIGTERM thread runs)
//! while render threads are still staging: nothing they stage outlives the
//! rollback. Its own test binary: `abandon_all` rolls back every transaction
//! of the process, so no other test may share it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use codegen::journal::{OutLock, TXN_DIR, Txn};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-abandon-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// Everything under `dir`, relative.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            found.push(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
        }
    }
    found
}

/// A rollback used to remove the transaction's directory while a render
/// thread made a file in it: the removal failed (not empty) and the file,
/// and every one staged after it, stayed behind when the process exited.
#[test]
fn a_rollback_while_threads_stage_leaves_no_temporary_file() {
    let root = temp_dir("race");
    for round in 0..40 {
        let out = root.join(format!("out-{round}"));
        let locks = root.join(format!("locks-{round}"));
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::create_dir_all(&locks).expect("mkdir");
        let lock = OutLock::acquire(&out, Some(&locks), false).expect("lock");
        let txn = Txn::begin(lock).expect("begin");
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            for t in 0..4 {
                let (txn, stop, locks) = (&txn, &stop, &locks);
                s.spawn(move || {
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let staged = if n % 7 == 0 {
                            txn.temp_beside(&locks.join(format!("t{t}-{n}.lock")))
                                .map(|_| ())
                        } else {
                            txn.temp().map(|_| ())
                        };
                        if staged.is_err() {
                            return; // rolled back: nothing more is staged
                        }
                        n += 1;
                    }
                });
            }
            std::thread::sleep(std::time::Duration::from_millis(2 + round % 5));
            codegen::journal::abandon_all();
            stop.store(true, Ordering::Relaxed);
        });
        assert!(
            txn.temp().is_err(),
            "round {round}: staged after the rollback"
        );
        assert!(
            !out.join(TXN_DIR).exists(),
            "round {round}: left {:?}",
            listing(&out)
        );
        assert_eq!(listing(&locks), Vec::<PathBuf>::new(), "round {round}");
        drop(txn);
    }
    let _ = std::fs::remove_dir_all(&root);
}
