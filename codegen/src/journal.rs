//! A run's outputs committed as a set: old or new, never mixed, even when
//! the process is killed.
//!
//! A [`Txn`] holds an exclusive lock on the out directory (`flock` on the
//! directory itself, released by the kernel when the process dies), stages
//! every output as a temporary file in [`TXN_DIR`] inside it (a lock's
//! temporary file beside the lock, listed in `TXN_DIR/lock-temps` first),
//! then writes the list of renames and removals as a journal, atomically
//! (written beside, synced, renamed), and applies it. The journal is the
//! commit point: a run that finds [`TXN_DIR`] left by a dead one finishes
//! its journal when there is one (every step is idempotent) and otherwise
//! removes its temporary files, so a kill at any point leaves either the old
//! tree or the new one once the next run (or `--check`) has started.
//!
//! SIGINT and SIGTERM: [`abandon_all`] (from the binary's signal thread)
//! rolls back every transaction still staging and waits for one that is
//! committing to finish.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::ownership::{self, hex};

/// The directory of a run's temporary files and journal, in the out directory.
pub const TXN_DIR: &str = ".errspec-txn";
const JOURNAL: &str = "journal";
const LOCK_TEMPS: &str = "lock-temps";
/// The suffix of a lock's temporary file (`.sdk.lock.errspec-tmp`).
const LOCK_TEMP_SUFFIX: &str = ".errspec-tmp";

/// Why a transaction could not start or finish.
#[derive(Debug)]
pub enum TxnError {
    /// Another run holds the out directory's lock.
    Busy(PathBuf),
    /// A file operation failed: what was being done, and the error.
    Io(String, std::io::Error),
    /// A journal left by a dead run cannot be read.
    BadJournal(PathBuf, String),
}

impl std::fmt::Display for TxnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TxnError::Busy(out) => write!(
                f,
                "another errspec run is writing to `{}`\n  = help: wait for it to finish, then run again",
                out.display()
            ),
            TxnError::Io(what, e) => write!(f, "cannot {what}: {e}"),
            TxnError::BadJournal(path, why) => write!(
                f,
                "the journal `{}` of an interrupted run cannot be read: {why}\n  = help: errspec wrote it; if you changed it, restore the out directory from version control and delete `{}`",
                path.display(),
                path.parent().unwrap_or(path).display()
            ),
        }
    }
}

impl std::error::Error for TxnError {}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> TxnError {
    let what = what.into();
    move |e| TxnError::Io(what, e)
}

/// What a run found left by a dead one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Its journal was complete: its renames and removals were finished.
    Finished,
    /// It died before its journal: its temporary files were removed.
    RolledBack,
}

/// One step of a journal.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// Rename a temporary file into place (creating the directories on the way).
    Put { tmp: PathBuf, dest: PathBuf },
    /// Remove a file errspec wrote, if its bytes still have this hash.
    Remove { dest: PathBuf, sha256: String },
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    errspec_journal: u32,
    out: PathBuf,
    ops: Vec<Op>,
}

#[derive(Debug, PartialEq, Eq)]
enum Phase {
    Staging,
    /// The journal is written: the next run finishes it if this one cannot.
    Committed,
    Done,
}

/// What a signal handler needs to roll a transaction back.
struct Live {
    dir: PathBuf,
    lock_temps: Vec<PathBuf>,
    phase: Phase,
}

impl Live {
    fn roll_back(&mut self) {
        if self.phase != Phase::Staging {
            return;
        }
        for tmp in &self.lock_temps {
            let _ = std::fs::remove_file(tmp);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        self.phase = Phase::Done;
    }
}

static LIVE: Mutex<Vec<(u64, Arc<Mutex<Live>>)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn guard<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Rolls back every transaction of this process that is still staging, and
/// waits for any that is committing: for the binary's SIGINT/SIGTERM thread,
/// before it exits.
pub fn abandon_all() {
    let live: Vec<_> = guard(&LIVE).iter().map(|(_, l)| Arc::clone(l)).collect();
    for l in live {
        guard(&l).roll_back();
    }
}

/// A test hook: `ERRSPEC_FAULT=staged|journaled|renamed:N` aborts the process
/// (no destructor runs, as under `kill -9`) at that point of a commit.
fn fault(point: &str) {
    if std::env::var("ERRSPEC_FAULT").is_ok_and(|f| f == point) {
        std::process::abort();
    }
}

/// A run's staged outputs, committed together by [`Txn::commit`]; dropped
/// without a commit, it removes them.
pub struct Txn {
    out: PathBuf,
    dir: PathBuf,
    /// The out directory, opened and locked for the run.
    _lock: Option<File>,
    /// Directories made for the out directory itself, removed on a rollback if empty.
    created: Vec<PathBuf>,
    counter: AtomicUsize,
    id: u64,
    live: Arc<Mutex<Live>>,
    pub recovered: Option<Recovery>,
}

/// Opens and locks the out directory (`None` when it does not exist and
/// `create` is false).
fn lock_out(out: &Path) -> Result<Option<File>, TxnError> {
    let dir = match File::open(out) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(TxnError::Io(format!("open `{}`", out.display()), e)),
    };
    match dir.try_lock() {
        Ok(()) => Ok(Some(dir)),
        Err(std::fs::TryLockError::WouldBlock) => Err(TxnError::Busy(out.to_path_buf())),
        // A file system without locks: go on unlocked.
        Err(std::fs::TryLockError::Error(_)) => Ok(Some(dir)),
    }
}

/// Finishes or rolls back what a dead run left in `out`, for `--check`,
/// which otherwise writes nothing.
pub fn recover(out: &Path) -> Result<Option<Recovery>, TxnError> {
    let Some(_lock) = lock_out(out)? else {
        return Ok(None);
    };
    recover_locked(out)
}

fn recover_locked(out: &Path) -> Result<Option<Recovery>, TxnError> {
    let dir = out.join(TXN_DIR);
    match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(TxnError::Io(format!("inspect `{}`", dir.display()), e)),
        Ok(m) if !m.is_dir() => {
            return Err(TxnError::BadJournal(
                dir,
                "it is not a directory (errspec makes it one)".to_owned(),
            ));
        }
        Ok(_) => {}
    }
    let journal = dir.join(JOURNAL);
    if journal.exists() {
        let text = errspec::input::read_to_string(&journal)
            .map_err(|e| TxnError::BadJournal(journal.clone(), e.to_string()))?;
        let parsed: Journal = serde_json::from_str(&text)
            .map_err(|e| TxnError::BadJournal(journal.clone(), e.to_string()))?;
        apply(out, &parsed.ops, None)?;
        remove_txn_dir(&dir)?;
        return Ok(Some(Recovery::Finished));
    }
    // No journal: the dead run had not committed. Its lock temporary files
    // are listed; remove only those that have our suffix.
    if let Ok(list) = std::fs::read_to_string(dir.join(LOCK_TEMPS)) {
        for line in list.lines() {
            let tmp = Path::new(line);
            if tmp
                .file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(LOCK_TEMP_SUFFIX))
            {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
    remove_txn_dir(&dir)?;
    Ok(Some(Recovery::RolledBack))
}

fn remove_txn_dir(dir: &Path) -> Result<(), TxnError> {
    std::fs::remove_dir_all(dir).map_err(io(format!("remove `{}`", dir.display())))
}

/// Makes the directories from `out` down to `dir`, refusing to pass through
/// anything but a real directory (a symbolic link that appeared meanwhile).
fn make_dirs(out: &Path, dir: &Path) -> Result<(), TxnError> {
    let Ok(rel) = dir.strip_prefix(out) else {
        // A lock's directory, outside the out directory: it exists.
        return Ok(());
    };
    let mut at = out.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(TxnError::Io(
                    format!("create the directory `{}`", at.display()),
                    std::io::Error::other("something other than a directory is in the way"),
                ));
            }
            Err(_) => match std::fs::create_dir(&at) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(TxnError::Io(format!("create `{}`", at.display()), e)),
            },
        }
    }
    Ok(())
}

/// Applies a journal's steps; each is idempotent, so a second pass after a
/// crash finishes the first. `count` counts renames for the fault hook.
fn apply(out: &Path, ops: &[Op], mut count: Option<&mut usize>) -> Result<(), TxnError> {
    for op in ops {
        match op {
            Op::Put { tmp, dest } => {
                if !tmp.exists() {
                    continue; // renamed before the crash
                }
                make_dirs(out, dest.parent().unwrap_or(out))?;
                std::fs::rename(tmp, dest).map_err(io(format!(
                    "move `{}` into place as `{}`",
                    tmp.display(),
                    dest.display()
                )))?;
                if let Some(n) = count.as_deref_mut() {
                    *n += 1;
                    fault(&format!("renamed:{n}"));
                }
            }
            Op::Remove { dest, sha256 } => {
                let regular = std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_file());
                let same =
                    regular && ownership::hash_file(dest).is_ok_and(|h| hex(&h) == sha256.as_str());
                if same {
                    std::fs::remove_file(dest)
                        .map_err(io(format!("remove `{}`", dest.display())))?;
                    remove_empty_parents(out, dest);
                }
            }
        }
    }
    Ok(())
}

/// Removes the directories a removed output leaves empty, up to `out`.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || std::fs::remove_dir(d).is_err() {
            return;
        }
        dir = d.parent();
    }
}

impl Txn {
    /// Locks `out` (creating it), finishes or rolls back what a dead run
    /// left there, and starts a new transaction.
    pub fn begin(out: &Path) -> Result<Txn, TxnError> {
        let mut created = Vec::new();
        let mut missing = Vec::new();
        let mut cur = Some(out);
        while let Some(d) = cur {
            if d.as_os_str().is_empty() || d.exists() {
                break;
            }
            missing.push(d.to_path_buf());
            cur = d.parent();
        }
        for d in missing.into_iter().rev() {
            std::fs::create_dir(&d).map_err(io(format!("create `{}`", d.display())))?;
            created.push(d);
        }
        let lock = lock_out(out)?;
        let recovered = recover_locked(out)?;
        let dir = out.join(TXN_DIR);
        std::fs::create_dir(&dir).map_err(io(format!("create `{}`", dir.display())))?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let live = Arc::new(Mutex::new(Live {
            dir: dir.clone(),
            lock_temps: Vec::new(),
            phase: Phase::Staging,
        }));
        guard(&LIVE).push((id, Arc::clone(&live)));
        Ok(Txn {
            out: out.to_path_buf(),
            dir,
            _lock: lock,
            created,
            counter: AtomicUsize::new(0),
            id,
            live,
            recovered,
        })
    }

    /// A new temporary file in the transaction's directory.
    pub fn temp(&self) -> Result<(PathBuf, File), TxnError> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tmp = self.dir.join(n.to_string());
        let file = File::create(&tmp).map_err(io(format!("create `{}`", tmp.display())))?;
        Ok((tmp, file))
    }

    /// A temporary file beside `dest` (a lock, outside the out directory:
    /// a rename from the out directory could cross file systems), listed
    /// before it is made so that a rollback after a crash finds it.
    pub fn temp_beside(&self, dest: &Path) -> Result<(PathBuf, File), TxnError> {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dest.with_file_name(format!(".{name}{LOCK_TEMP_SUFFIX}"));
        let list = self.dir.join(LOCK_TEMPS);
        let mut listed = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&list)
            .map_err(io(format!("write `{}`", list.display())))?;
        writeln!(listed, "{}", tmp.display()).map_err(io(format!("write `{}`", list.display())))?;
        guard(&self.live).lock_temps.push(tmp.clone());
        let file = File::create(&tmp).map_err(io(format!("create `{}`", tmp.display())))?;
        Ok((tmp, file))
    }

    /// Writes the journal (the commit point), then applies it.
    pub fn commit(mut self, ops: Vec<Op>) -> Result<(), TxnError> {
        let live = Arc::clone(&self.live);
        // Held until the end: a signal waits for the commit instead of cutting it.
        let mut live = guard(&live);
        if live.phase != Phase::Staging {
            return Err(TxnError::Io(
                "commit the run".to_owned(),
                std::io::Error::other("interrupted by a signal"),
            ));
        }
        fault("staged");
        if !ops.is_empty() {
            let journal = Journal {
                errspec_journal: 1,
                out: self.out.clone(),
                ops,
            };
            let text = serde_json::to_string(&journal).map_err(|e| {
                TxnError::Io("write the journal".to_owned(), std::io::Error::other(e))
            })?;
            let path = self.dir.join(JOURNAL);
            let tmp = self.dir.join(format!("{JOURNAL}.tmp"));
            let mut file = File::create(&tmp).map_err(io(format!("create `{}`", tmp.display())))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(io(format!("write `{}`", tmp.display())))?;
            std::fs::rename(&tmp, &path).map_err(io(format!("write `{}`", path.display())))?;
            if let Ok(d) = File::open(&self.dir) {
                let _ = d.sync_all();
            }
            live.phase = Phase::Committed;
            fault("journaled");
            let mut renamed = 0;
            apply(&self.out, &journal.ops, Some(&mut renamed)).map_err(|e| match e {
                TxnError::Io(what, err) => TxnError::Io(
                    format!("{what} (the journal is kept: the next run finishes it)"),
                    err,
                ),
                other => other,
            })?;
        }
        remove_txn_dir(&self.dir)?;
        live.phase = Phase::Done;
        self.created.clear();
        Ok(())
    }
}

impl Drop for Txn {
    fn drop(&mut self) {
        guard(&self.live).roll_back();
        guard(&LIVE).retain(|(id, _)| *id != self.id);
        for d in self.created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}
