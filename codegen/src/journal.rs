//! A run's outputs committed as a set: old or new, never mixed, even when
//! the process is killed.
//!
//! A run first takes an exclusive lock on the out directory for its whole
//! length ([`OutLock`]: `flock` on the directory, released by the kernel when
//! the process dies), then finishes or undoes what a dead run left there,
//! and only then reads the registry. A [`Txn`] stages every output as a
//! temporary file in [`TXN_DIR`] (a lock's beside the lock, its name listed
//! in `TXN_DIR/lock-temps` first), then writes the list of its renames and
//! removals as a journal, atomically (written beside, synced, renamed), and
//! applies it, keeping each replaced or removed file as a backup until the
//! end. The journal is the commit point. A run that finds [`TXN_DIR`]:
//! - with a journal, finishes it (every step is idempotent), or, when a step
//!   fails, restores the backups: the tree is new, or old;
//! - without one, removes its temporary files: the tree is old.
//!
//! The journal names files relative to the out directory (and locks by
//! their file name in the registry's directory), each checked to be a plain
//! relative path: a journal copied from elsewhere or from a moved project
//! reaches nothing outside.
//!
//! SIGINT and SIGTERM: [`abandon_all`] (from the binary's signal thread)
//! rolls back every transaction still staging and waits for one that is
//! committing to finish. Every file and directory a transaction makes is
//! made under the same lock as that rollback, after checking it is still
//! staging: nothing appears in the directory while it is being removed.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::ownership::{self, hex};
use crate::{IoCause, IoError};

/// The directory of a run's temporary files and journal, in the out directory.
pub const TXN_DIR: &str = ".errspec-txn";
const JOURNAL: &str = "journal";
const LOCK_TEMPS: &str = "lock-temps";
/// The suffix of a lock's temporary file (`.sdk.lock.PID-N.errspec-tmp`).
const LOCK_TEMP_SUFFIX: &str = ".errspec-tmp";
/// The suffix of a lock's backup while a commit replaces it.
const LOCK_OLD_SUFFIX: &str = ".errspec-old";

/// Why a transaction could not start or finish.
#[derive(Debug)]
pub enum TxnError {
    /// Another run holds the out directory's lock.
    Busy(PathBuf),
    /// The out directory is not a directory.
    NotADirectory(PathBuf),
    /// A file operation failed.
    Io(IoError),
    /// A signal rolled the run back while it was doing this ("stage an output").
    Interrupted(&'static str),
    /// A journal left by a dead run (at this path) cannot be used.
    BadJournal(PathBuf, JournalFault),
    /// A commit failed; its changes were undone (`undone`) or could not be.
    Commit {
        cause: Box<TxnError>,
        undone: bool,
        txn: PathBuf,
    },
}

impl std::fmt::Display for TxnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TxnError::Busy(out) => write!(
                f,
                "another errspec run is writing to `{}`\n  = help: wait for it to finish, then run again",
                out.display()
            ),
            TxnError::NotADirectory(out) => write!(
                f,
                "the out directory `{}` is not a directory\n  = help: set `out` (or --out) to a directory",
                out.display()
            ),
            TxnError::Io(e) => write!(f, "{e}"),
            TxnError::Interrupted(what) => write!(f, "cannot {what}: interrupted by a signal"),
            TxnError::BadJournal(path, why) => write!(
                f,
                "the journal `{}` of an interrupted run cannot be used: {why}\n  = help: errspec wrote it; if you did not change it, report this. To drop it, delete `{}` and check the out directory against version control",
                path.display(),
                path.parent().unwrap_or(path).display()
            ),
            TxnError::Commit {
                cause,
                undone: true,
                ..
            } => write!(
                f,
                "{cause}\n  = note: the run's changes were undone: every file is as it was before it"
            ),
            TxnError::Commit {
                cause,
                undone: false,
                txn,
            } => write!(
                f,
                "{cause}\n  = note: the run's changes could not all be undone; its journal and backups are kept in `{}`\n  = help: fix the cause (permissions, a file in the way), then run errspec again: it finishes or undoes them",
                txn.display()
            ),
        }
    }
}

impl std::error::Error for TxnError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TxnError::Io(e) => Some(e),
            TxnError::Commit { cause, .. } => Some(cause.as_ref()),
            _ => None,
        }
    }
}

/// Why a dead run's journal cannot be used.
#[derive(Debug)]
pub enum JournalFault {
    /// The transaction's directory is something else.
    NotADirectory,
    Unreadable(errspec::input::InputError),
    Malformed(serde_json::Error),
    /// A version this errspec does not read.
    Version(u32),
    /// A rename from or to a place outside the transaction and out directories.
    RenameEscapes {
        tmp: String,
        dest: String,
    },
    /// A removal outside the out directory.
    RemovalEscapes(String),
    /// A lock rename that is not of a lock's temporary file to the lock.
    ForeignLockRename {
        tmp: String,
        dest: String,
    },
}

impl std::fmt::Display for JournalFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalFault::NotADirectory => {
                f.write_str("it is not a directory (errspec makes it one)")
            }
            JournalFault::Unreadable(e) => write!(f, "{e}"),
            JournalFault::Malformed(e) => write!(f, "{e}"),
            JournalFault::Version(v) => {
                write!(f, "it is version {v}; this errspec reads version 1")
            }
            JournalFault::RenameEscapes { tmp, dest } => {
                write!(f, "a rename `{tmp}` -> `{dest}` leaves its places")
            }
            JournalFault::RemovalEscapes(dest) => {
                write!(f, "a removal `{dest}` leaves the out directory")
            }
            JournalFault::ForeignLockRename { tmp, dest } => {
                write!(f, "a lock rename `{tmp}` -> `{dest}` is not errspec's")
            }
        }
    }
}

/// For `map_err`: the OS error while doing `action` to `path`.
fn io(action: &str, path: &Path) -> impl FnOnce(std::io::Error) -> TxnError + use<> {
    let error = IoError::doing(action, path);
    move |e| TxnError::Io(error(e))
}

/// What a run found left by a dead one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Its journal was complete: its renames and removals were finished.
    Finished,
    /// Its journal could not be finished: its changes were undone.
    Undone,
    /// It died before its journal: its temporary files were removed.
    RolledBack,
}

/// A file moved into place: a temporary file's name (in [`TXN_DIR`] for an
/// output, beside the lock for a lock) and the destination, relative to the
/// out directory (a lock: its file name).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Put {
    pub tmp: String,
    pub dest: String,
}

/// A file of the old manifest removed, if its bytes still have this hash.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Remove {
    pub dest: String,
    pub sha256: String,
}

/// What a commit does.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    pub puts: Vec<Put>,
    pub removes: Vec<Remove>,
    pub locks: Vec<Put>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.puts.is_empty() && self.removes.is_empty() && self.locks.is_empty()
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Journal {
    errspec_journal: u32,
    plan: Plan,
}

/// Where a journal's names resolve: the out directory and the locks' directory.
struct Places<'a> {
    out: &'a Path,
    txn: PathBuf,
    locks: Option<&'a Path>,
}

impl Places<'_> {
    /// Resolves and checks every name of a plan: plain relative paths under
    /// the out directory, plain file names in the transaction's directory
    /// and in the locks' directory.
    fn check(&self, plan: &Plan) -> Result<(), JournalFault> {
        let plain_name = |n: &str| ownership::is_plain_relative(n) && !n.contains('/');
        for p in &plan.puts {
            if !plain_name(&p.tmp) || !ownership::is_plain_relative(&p.dest) {
                return Err(JournalFault::RenameEscapes {
                    tmp: p.tmp.clone(),
                    dest: p.dest.clone(),
                });
            }
        }
        for r in &plan.removes {
            if !ownership::is_plain_relative(&r.dest) {
                return Err(JournalFault::RemovalEscapes(r.dest.clone()));
            }
        }
        for l in &plan.locks {
            let ok = plain_name(&l.tmp)
                && plain_name(&l.dest)
                && l.dest.ends_with(".lock")
                && l.tmp.starts_with(&format!(".{}.", l.dest))
                && l.tmp.ends_with(LOCK_TEMP_SUFFIX);
            if !ok || self.locks.is_none() {
                return Err(JournalFault::ForeignLockRename {
                    tmp: l.tmp.clone(),
                    dest: l.dest.clone(),
                });
            }
        }
        Ok(())
    }

    fn lock_dir(&self) -> &Path {
        self.locks.unwrap_or(self.out)
    }

    fn lock_backup(&self, name: &str) -> PathBuf {
        self.lock_dir().join(format!(".{name}{LOCK_OLD_SUFFIX}"))
    }
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

/// The out directory, locked for a whole run (reading the registry
/// included), with what a dead run left there finished or undone.
pub struct OutLock {
    out: PathBuf,
    locks: Option<PathBuf>,
    /// The open directory holding the lock (`None`: it does not exist yet,
    /// or the platform cannot lock a directory).
    _held: Option<File>,
    /// Directories made for the out directory itself, removed again on a failure if empty.
    created: Vec<PathBuf>,
    pub recovered: Option<Recovery>,
}

impl OutLock {
    /// Locks `out` (creating it when `create`), then recovers. `locks` is the
    /// directory of the registry's locks, where a journal's lock renames resolve.
    pub fn acquire(out: &Path, locks: Option<&Path>, create: bool) -> Result<OutLock, TxnError> {
        let mut created = Vec::new();
        if create {
            let mut missing = Vec::new();
            let mut cur = Some(out);
            while let Some(d) = cur {
                if d.as_os_str().is_empty() || std::fs::symlink_metadata(d).is_ok() {
                    break;
                }
                missing.push(d.to_path_buf());
                cur = d.parent();
            }
            for d in missing.into_iter().rev() {
                std::fs::create_dir(&d).map_err(io("create", &d))?;
                created.push(d);
            }
        }
        match std::fs::metadata(out) {
            Ok(m) if !m.is_dir() => return Err(TxnError::NotADirectory(out.to_path_buf())),
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(TxnError::Io(IoError::os("open", out, e)));
            }
            _ => {}
        }
        let held = lock_dir(out)?;
        let mut lock = OutLock {
            out: out.to_path_buf(),
            locks: locks.map(Path::to_path_buf),
            _held: held,
            created,
            recovered: None,
        };
        if out.is_dir() {
            lock.recovered = recover(out, locks)?;
        }
        Ok(lock)
    }
}

impl Drop for OutLock {
    fn drop(&mut self) {
        for d in self.created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

/// Opens and locks the out directory (`None` when it does not exist).
#[cfg(unix)]
fn lock_dir(out: &Path) -> Result<Option<File>, TxnError> {
    let dir = match File::open(out) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(TxnError::Io(IoError::os("open", out, e))),
    };
    match dir.try_lock() {
        Ok(()) => Ok(Some(dir)),
        Err(std::fs::TryLockError::WouldBlock) => Err(TxnError::Busy(out.to_path_buf())),
        // A file system without locks: go on unlocked.
        Err(std::fs::TryLockError::Error(_)) => Ok(Some(dir)),
    }
}

/// Windows opens no directory as a file: runs there are not locked.
#[cfg(not(unix))]
fn lock_dir(_: &Path) -> Result<Option<File>, TxnError> {
    Ok(None)
}

/// Finishes, undoes or rolls back what a dead run left in `out`.
fn recover(out: &Path, locks: Option<&Path>) -> Result<Option<Recovery>, TxnError> {
    let dir = out.join(TXN_DIR);
    match std::fs::symlink_metadata(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(TxnError::Io(IoError::os("inspect", &dir, e))),
        Ok(m) if !m.is_dir() => {
            return Err(TxnError::BadJournal(dir, JournalFault::NotADirectory));
        }
        Ok(_) => {}
    }
    let places = Places {
        out,
        txn: dir.clone(),
        locks,
    };
    let journal = dir.join(JOURNAL);
    if std::fs::symlink_metadata(&journal).is_ok() {
        let bad = |why: JournalFault| TxnError::BadJournal(journal.clone(), why);
        let text = errspec::input::read_to_string(&journal)
            .map_err(|e| bad(JournalFault::Unreadable(e)))?;
        let parsed: Journal =
            serde_json::from_str(&text).map_err(|e| bad(JournalFault::Malformed(e)))?;
        if parsed.errspec_journal != 1 {
            return Err(bad(JournalFault::Version(parsed.errspec_journal)));
        }
        places.check(&parsed.plan).map_err(bad)?;
        let recovery = match apply(&places, &parsed.plan, None) {
            Ok(()) => Recovery::Finished,
            Err(cause) => match undo(&places, &parsed.plan) {
                Ok(()) => Recovery::Undone,
                Err(_) => {
                    return Err(TxnError::Commit {
                        cause: Box::new(cause),
                        undone: false,
                        txn: dir,
                    });
                }
            },
        };
        finish(&places, &parsed.plan)?;
        return Ok(Some(recovery));
    }
    // No journal: the dead run had not committed. Its lock temporary files
    // are listed by name; remove only those with our suffix.
    if let (Ok(list), Some(lock_dir)) = (std::fs::read_to_string(dir.join(LOCK_TEMPS)), locks) {
        for name in list.lines() {
            let ours = ownership::is_plain_relative(name)
                && !name.contains('/')
                && name.starts_with('.')
                && name.ends_with(LOCK_TEMP_SUFFIX);
            if ours {
                let _ = std::fs::remove_file(lock_dir.join(name));
            }
        }
    }
    remove_txn_dir(&dir)?;
    Ok(Some(Recovery::RolledBack))
}

fn remove_txn_dir(dir: &Path) -> Result<(), TxnError> {
    std::fs::remove_dir_all(dir).map_err(io("remove", dir))
}

/// Makes the directories from `out` down to `dir`, refusing to pass through
/// anything but a real directory (a symbolic link that appeared meanwhile).
fn make_dirs(out: &Path, dir: &Path) -> Result<(), TxnError> {
    let Ok(rel) = dir.strip_prefix(out) else {
        return Ok(());
    };
    let mut at = out.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(TxnError::Io(IoError::new(
                    "create the directory",
                    &at,
                    IoCause::NotADirectory,
                )));
            }
            Err(_) => match std::fs::create_dir(&at) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(TxnError::Io(IoError::os("create", &at, e))),
            },
        }
    }
    Ok(())
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Keeps the file at `dest` as `backup` (a hard link, else a copy), once.
fn back_up(dest: &Path, backup: &Path) -> Result<(), TxnError> {
    let regular = std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_file());
    if !regular || exists(backup) {
        return Ok(());
    }
    std::fs::hard_link(dest, backup)
        .or_else(|_| std::fs::copy(dest, backup).map(|_| ()))
        .map_err(io("keep a copy of", dest))
}

/// Moves `tmp` into place as `dest`, keeping the old file as `backup`.
fn put(out: &Path, tmp: &Path, dest: &Path, backup: &Path) -> Result<bool, TxnError> {
    if !exists(tmp) {
        return Ok(false); // moved before a crash
    }
    back_up(dest, backup)?;
    make_dirs(out, dest.parent().unwrap_or(out))?;
    if let Ok(old) = std::fs::metadata(dest) {
        // A file kept read-only stays so.
        let _ = std::fs::set_permissions(tmp, old.permissions());
    }
    std::fs::rename(tmp, dest)
        .map_err(io(&format!("move `{}` into place as", tmp.display()), dest))?;
    Ok(true)
}

/// Applies a plan; each step is idempotent, so a second pass after a crash
/// finishes the first. `count` counts renames for the fault hook.
fn apply(places: &Places<'_>, plan: &Plan, mut count: Option<&mut usize>) -> Result<(), TxnError> {
    let out = places.out;
    let mut renamed = |moved: bool| {
        if let (true, Some(n)) = (moved, count.as_deref_mut()) {
            *n += 1;
            fault(&format!("renamed:{n}"));
        }
    };
    for (i, p) in plan.puts.iter().enumerate() {
        let backup = places.txn.join(format!("old-{i}"));
        let moved = put(out, &places.txn.join(&p.tmp), &out.join(&p.dest), &backup)?;
        renamed(moved);
    }
    for l in &plan.locks {
        let dir = places.lock_dir();
        let moved = put(
            dir,
            &dir.join(&l.tmp),
            &dir.join(&l.dest),
            &places.lock_backup(&l.dest),
        )?;
        renamed(moved);
    }
    for (i, r) in plan.removes.iter().enumerate() {
        let dest = out.join(&r.dest);
        let regular = std::fs::symlink_metadata(&dest).is_ok_and(|m| m.is_file());
        let same =
            regular && ownership::hash_file(&dest).is_ok_and(|h| hex(&h) == r.sha256.as_str());
        if same {
            let backup = places.txn.join(format!("gone-{i}"));
            std::fs::rename(&dest, &backup).map_err(io("remove", &dest))?;
            remove_empty_parents(out, &dest);
        }
    }
    Ok(())
}

/// Undoes what [`apply`] did of a plan: each backup back in place, each new
/// file gone.
fn undo(places: &Places<'_>, plan: &Plan) -> Result<(), TxnError> {
    let out = places.out;
    let mut failed = None;
    let mut note = |r: Result<(), TxnError>| {
        if let Err(e) = r {
            failed.get_or_insert(e);
        }
    };
    for (i, r) in plan.removes.iter().enumerate().rev() {
        let backup = places.txn.join(format!("gone-{i}"));
        if exists(&backup) {
            let dest = out.join(&r.dest);
            note(make_dirs(out, dest.parent().unwrap_or(out)));
            note(std::fs::rename(&backup, &dest).map_err(io("restore", &dest)));
        }
    }
    let dir = places.lock_dir();
    let locks = plan.locks.iter().map(|l| {
        (
            dir.join(&l.tmp),
            dir.join(&l.dest),
            places.lock_backup(&l.dest),
        )
    });
    let puts = plan.puts.iter().enumerate().map(|(i, p)| {
        (
            places.txn.join(&p.tmp),
            out.join(&p.dest),
            places.txn.join(format!("old-{i}")),
        )
    });
    let all: Vec<_> = puts.chain(locks).collect();
    for (tmp, dest, backup) in all.into_iter().rev() {
        if exists(&backup) {
            note(std::fs::rename(&backup, &dest).map_err(io("restore", &dest)));
        } else if !exists(&tmp) && exists(&dest) {
            // A new file this plan put there.
            note(std::fs::remove_file(&dest).map_err(io("remove", &dest)));
            remove_empty_parents(out, &dest);
        }
    }
    failed.map_or(Ok(()), Err)
}

/// Removes what a finished (or undone) plan leaves: its lock temporary
/// files and backups, then the transaction's directory.
fn finish(places: &Places<'_>, plan: &Plan) -> Result<(), TxnError> {
    for l in &plan.locks {
        let _ = std::fs::remove_file(places.lock_dir().join(&l.tmp));
        let _ = std::fs::remove_file(places.lock_backup(&l.dest));
    }
    remove_txn_dir(&places.txn)
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

/// Syncs the directories that received files, so the renames outlive a power loss.
fn sync_dirs(places: &Places<'_>, plan: &Plan) {
    let mut dirs: Vec<PathBuf> = plan
        .puts
        .iter()
        .filter_map(|p| places.out.join(&p.dest).parent().map(Path::to_path_buf))
        .collect();
    if !plan.locks.is_empty() {
        dirs.push(places.lock_dir().to_path_buf());
    }
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        if let Ok(f) = File::open(&d) {
            let _ = f.sync_all();
        }
    }
}

/// A run's staged outputs, committed together by [`Txn::commit`]; dropped
/// without a commit, it removes them.
pub struct Txn {
    lock: OutLock,
    dir: PathBuf,
    counter: AtomicUsize,
    id: u64,
    live: Arc<Mutex<Live>>,
}

impl Txn {
    /// Starts a transaction in the locked out directory.
    pub fn begin(lock: OutLock) -> Result<Txn, TxnError> {
        let dir = lock.out.join(TXN_DIR);
        // Made under the signal handler's lock: it never finds the directory made but unlisted.
        let mut all = guard(&LIVE);
        std::fs::create_dir(&dir).map_err(io("create", &dir))?;
        // Git then shows nothing of a killed run's files until the next run removes them.
        let _ = std::fs::write(dir.join(".gitignore"), "*\n");
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let live = Arc::new(Mutex::new(Live {
            dir: dir.clone(),
            lock_temps: Vec::new(),
            phase: Phase::Staging,
        }));
        all.push((id, Arc::clone(&live)));
        drop(all);
        Ok(Txn {
            lock,
            dir,
            counter: AtomicUsize::new(0),
            id,
            live,
        })
    }

    /// The transaction's state, locked against the signal handler, while it
    /// is still staging (else: it was rolled back by a signal).
    fn staging(&self, what: &'static str) -> Result<std::sync::MutexGuard<'_, Live>, TxnError> {
        Self::staging_of(&self.live, what)
    }

    fn staging_of<'a>(
        live: &'a Mutex<Live>,
        what: &'static str,
    ) -> Result<std::sync::MutexGuard<'a, Live>, TxnError> {
        let live = guard(live);
        if live.phase != Phase::Staging {
            return Err(TxnError::Interrupted(what));
        }
        Ok(live)
    }

    /// What this run found left by a dead one.
    pub fn recovered(&self) -> Option<Recovery> {
        self.lock.recovered
    }

    /// A new temporary file in the transaction's directory; its name.
    pub fn temp(&self) -> Result<(String, File), TxnError> {
        let name = self.counter.fetch_add(1, Ordering::Relaxed).to_string();
        let path = self.dir.join(&name);
        // Under the signal handler's lock: a rollback never runs while a file
        // appears in the directory it removes (that file would outlive it).
        let _live = self.staging("stage an output")?;
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io("create", &path))?;
        Ok((name, file))
    }

    /// A temporary file beside the lock `dest` (outside the out directory: a
    /// rename from there could cross file systems), listed before it is made
    /// so that a rollback after a crash finds it; its name.
    pub fn temp_beside(&self, dest: &Path) -> Result<(String, File), TxnError> {
        let lock_name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let name = format!(".{lock_name}.{}-{n}{LOCK_TEMP_SUFFIX}", std::process::id());
        let tmp = dest.with_file_name(&name);
        let list = self.dir.join(LOCK_TEMPS);
        // Under the signal handler's lock: it never sees the file made but
        // unlisted, nor the list appear in the directory it is removing.
        let mut live = self.staging("stage the lock")?;
        let mut listed = File::options()
            .create(true)
            .append(true)
            .open(&list)
            .map_err(io("write", &list))?;
        writeln!(listed, "{name}").map_err(io("write", &list))?;
        live.lock_temps.push(tmp.clone());
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io("create", &tmp))?;
        Ok((name, file))
    }

    /// Writes the journal (the commit point), then applies it; on a failure
    /// undoes what was applied.
    pub fn commit(mut self, plan: Plan) -> Result<(), TxnError> {
        let live = Arc::clone(&self.live);
        // Held until the end: a signal waits for the commit instead of cutting it.
        let mut live = Self::staging_of(&live, "commit the run")?;
        fault("staged");
        let places = Places {
            out: &self.lock.out,
            txn: self.dir.clone(),
            locks: self.lock.locks.as_deref(),
        };
        if !plan.is_empty() {
            let journal = Journal {
                errspec_journal: 1,
                plan,
            };
            let path = self.dir.join(JOURNAL);
            let tmp = self.dir.join(format!("{JOURNAL}.tmp"));
            let text = serde_json::to_string(&journal)
                .map_err(|e| io("write", &tmp)(std::io::Error::other(e)))?;
            let mut file = File::create(&tmp).map_err(io("create", &tmp))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(io("write", &tmp))?;
            std::fs::rename(&tmp, &path).map_err(io("write", &path))?;
            if let Ok(d) = File::open(&self.dir) {
                let _ = d.sync_all();
            }
            live.phase = Phase::Committed;
            fault("journaled");
            let mut renamed = 0;
            if let Err(cause) = apply(&places, &journal.plan, Some(&mut renamed)) {
                let undone = undo(&places, &journal.plan).is_ok();
                if undone {
                    let _ = finish(&places, &journal.plan);
                    live.phase = Phase::Done;
                }
                return Err(TxnError::Commit {
                    cause: Box::new(cause),
                    undone,
                    txn: self.dir.clone(),
                });
            }
            sync_dirs(&places, &journal.plan);
            finish(&places, &journal.plan)?;
        } else {
            remove_txn_dir(&self.dir)?;
        }
        live.phase = Phase::Done;
        self.lock.created.clear();
        Ok(())
    }
}

impl Drop for Txn {
    fn drop(&mut self) {
        guard(&self.live).roll_back();
        guard(&LIVE).retain(|(id, _)| *id != self.id);
    }
}
