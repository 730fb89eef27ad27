//! Writing outputs: streamed into temporary files, committed as a set,
//! byte-for-byte change detection, and `--check`.
//!
//! [`Staging`] is what [`crate::Generator::write`] renders into: each output
//! goes straight into a temporary file of the run's transaction
//! ([`crate::journal`]), hashed and compared with the file already there as
//! it is written. What may be replaced or removed is decided by the
//! manifest of the previous run ([`crate::ownership`]); every output in the
//! way of something errspec does not own is collected, and the run then
//! fails having written nothing. Nothing is moved into place until every
//! output and lock of the run has rendered ([`Staging::commit`]); a staging
//! dropped without a commit removes its temporary files. [`Checking`]
//! compares outputs with the out directory the same way, writing nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::journal::{OutLock, Plan, Put, Recovery, Remove, Txn};
use crate::ownership::{
    self, Conflict, ConflictKind, Conflicts, Existing, Hash, Hasher, MANIFEST, Manifest, Protected,
    Verdict,
};
use crate::{Error, IoCause, IoError};

pub use crate::ownership::MARKER;

#[derive(Debug, Default)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    /// Files of the old manifest no output is any more, removed.
    pub removed: Vec<PathBuf>,
    /// Files of the old manifest no output is any more, left in place (edited
    /// since, or no longer a regular file) and dropped from the manifest:
    /// they are the user's now.
    pub released: Vec<PathBuf>,
    /// Files in the way that `--take-over` let this run replace.
    pub taken_over: Vec<PathBuf>,
    /// Files an errspec before manifests wrote, adopted (and replaced) by this run.
    pub adopted: Vec<PathBuf>,
    /// `--take-over` paths that named no output of the run.
    pub unused_take_over: Vec<PathBuf>,
    /// What the run found left by an interrupted one, and did with it.
    pub recovered: Option<Recovery>,
    /// How many view models (and handlebars contexts) the run built: one per
    /// distinct view of a catalog, whatever the number of templates rendering it.
    pub views_built: usize,
    /// Per lock (its path as shown), what the run added to it, each with what it
    /// does to consumers' builds (`errspec::lock::additions`).
    pub locked: Vec<(PathBuf, Vec<String>)>,
}

/// What `--check` found; empty when the out directory is up to date.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Outputs that differ from what errspec would write (and that a run replaces).
    pub stale: Vec<PathBuf>,
    pub missing: Vec<PathBuf>,
    /// Files of the manifest that the registry no longer produces (a run removes them).
    pub extra: Vec<PathBuf>,
    /// Outputs a run would refuse to write: a file not errspec's, edited
    /// since, or not a regular file, is there.
    pub in_the_way: Vec<Conflict>,
    /// What `--check` found left by an interrupted run, and did with it.
    pub recovered: Option<Recovery>,
    /// Lock files that lack codes or names the registry now publishes (or do not exist yet).
    pub stale_locks: Vec<PathBuf>,
    /// Per stale lock that exists, what a run would add to it (as [`WriteReport::locked`]).
    pub unlocked: Vec<(PathBuf, Vec<String>)>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.in_the_way.is_empty()
            && self.stale_locks.is_empty()
    }
}

/// Where rendered outputs go: memory, temporary files, or a comparison.
///
/// `open` starts an output (`rel` is relative to the out directory), the
/// renderer writes its bytes to the returned writer, and `close` finishes it.
/// Implementations are shared by the rendering threads.
pub(crate) trait Sink: Sync {
    type Out: Write + Send;
    fn open(&self, rel: &Path) -> Result<Self::Out, Error>;
    fn close(&self, rel: &Path, out: Self::Out) -> Result<(), Error>;

    /// An output already rendered as text (the Rust target).
    fn text(&self, rel: &Path, text: &str) -> Result<(), Error> {
        let mut out = self.open(rel)?;
        out.write_all(text.as_bytes())
            .map_err(IoError::doing("write", rel))?;
        self.close(rel, out)
    }
}

/// Every output in memory ([`crate::Generator::render`]).
#[derive(Default)]
pub(crate) struct Memory {
    pub files: Mutex<BTreeMap<PathBuf, String>>,
}

impl Sink for Memory {
    type Out = Vec<u8>;

    fn open(&self, _: &Path) -> Result<Vec<u8>, Error> {
        Ok(Vec::new())
    }

    fn close(&self, rel: &Path, out: Vec<u8>) -> Result<(), Error> {
        let text =
            String::from_utf8(out).map_err(|e| IoError::new("keep", rel, IoCause::NotUtf8(e)))?;
        lock(&self.files).insert(rel.to_path_buf(), text);
        Ok(())
    }
}

/// Compares bytes, as they come, with a file's, hashes them and keeps their
/// first line: no more than a buffer of either is held.
pub(crate) struct Comparer {
    /// The old file; `None` when it does not exist (or once it differs).
    old: Option<BufReader<File>>,
    existed: bool,
    same: bool,
    buf: Vec<u8>,
    hasher: Hasher,
    /// The output's first bytes (up to 512), for the migration's test.
    head: Vec<u8>,
    /// What is at the output's path when it is not a regular file (never read).
    conflict: Option<ConflictKind>,
}

impl Comparer {
    /// Compares with `path`, which [`ownership::inspect`] found to be a
    /// regular file (never opened otherwise: a FIFO would block);
    /// `None`: nothing is there to compare with.
    fn new(path: Option<&Path>) -> Comparer {
        let old = path
            .and_then(|p| File::open(p).ok())
            .map(|f| BufReader::with_capacity(64 * 1024, f));
        Comparer {
            existed: old.is_some(),
            same: old.is_some(),
            old,
            buf: Vec::new(),
            hasher: Hasher::default(),
            head: Vec::new(),
            conflict: None,
        }
    }

    /// Something errspec may not replace is there: it differs, unread.
    fn in_the_way(kind: ConflictKind) -> Comparer {
        Comparer {
            existed: true,
            conflict: Some(kind),
            ..Comparer::new(None)
        }
    }

    /// Compares with what [`ownership::inspect`] found at `out/rel`.
    fn at(out: &Path, rel: &Path) -> Comparer {
        match ownership::inspect(out, rel) {
            Ok(Existing::Regular) => Comparer::new(Some(&out.join(rel))),
            Ok(Existing::Missing) => Comparer::new(None),
            Err(kind) => Comparer::in_the_way(kind),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
        if self.head.len() < 512 {
            let take = bytes.len().min(512 - self.head.len());
            self.head.extend_from_slice(&bytes[..take]);
        }
        if !self.same {
            return;
        }
        let Some(old) = self.old.as_mut() else {
            self.same = false;
            return;
        };
        self.buf.resize(bytes.len(), 0);
        // A read error (or a shorter file) means the bytes are not there: rewrite.
        if old.read_exact(&mut self.buf).is_err() || self.buf != bytes {
            self.same = false;
            self.old = None;
        }
    }

    /// Whether the old file held exactly the bytes fed, no more; their hash
    /// and first line.
    fn finish(mut self) -> Fed {
        let same = self.same
            && self
                .old
                .as_mut()
                .is_some_and(|old| matches!(old.read(&mut [0u8; 1]), Ok(0)));
        let first_line = ownership::first_line(&self.head).to_vec();
        Fed {
            existed: self.existed,
            same,
            hash: self.hasher.finish(),
            first_line,
            conflict: self.conflict,
        }
    }
}

/// What a [`Comparer`] found.
struct Fed {
    existed: bool,
    same: bool,
    hash: Hash,
    first_line: Vec<u8>,
    conflict: Option<ConflictKind>,
}

impl Write for Comparer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.feed(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether the manifest's text is at `out` already.
fn manifest_is_current(out: &Path, text: &str) -> Result<bool, ConflictKind> {
    let mut cmp = Comparer::at(out, Path::new(MANIFEST));
    cmp.feed(text.as_bytes());
    let fed = cmp.finish();
    match fed.conflict {
        Some(kind) => Err(kind),
        None => Ok(fed.same),
    }
}

/// `--check`: each output compared with the out directory, nothing written
/// (what an interrupted run left was finished or rolled back first, under
/// the lock the check holds).
pub(crate) struct Checking {
    out: PathBuf,
    manifest: Option<Manifest>,
    protected: Protected,
    _lock: OutLock,
    report: Mutex<CheckReport>,
    produced: Mutex<BTreeMap<PathBuf, Hash>>,
}

impl Checking {
    pub fn new(lock: OutLock, out: &Path, protected: Protected) -> Result<Checking, Error> {
        let manifest = Manifest::read(out)?;
        let report = CheckReport {
            recovered: lock.recovered,
            ..CheckReport::default()
        };
        Ok(Checking {
            out: out.to_path_buf(),
            manifest,
            protected,
            _lock: lock,
            report: Mutex::new(report),
            produced: Mutex::default(),
        })
    }

    /// The stale and missing outputs (the manifest among them), the files of
    /// the manifest that a run would remove, and what a run would refuse.
    pub fn finish(self) -> CheckReport {
        let produced = self
            .produced
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut report = self.report.into_inner().unwrap_or_else(|e| e.into_inner());
        let manifest = Manifest {
            files: produced.clone(),
        };
        match manifest_is_current(&self.out, &manifest.render()) {
            Ok(true) => {}
            Ok(false) if self.out.join(MANIFEST).is_file() => {
                report.stale.push(PathBuf::from(MANIFEST));
            }
            Ok(false) => report.missing.push(PathBuf::from(MANIFEST)),
            Err(kind) => report.in_the_way.push(Conflict {
                path: self.out.join(MANIFEST),
                kind,
            }),
        }
        report.stale.sort();
        report.missing.sort();
        report.in_the_way.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(old) = &self.manifest {
            report.extra = removable(&self.out, old, &produced, &self.protected).0;
        }
        report
    }
}

impl Sink for Checking {
    type Out = Comparer;

    fn open(&self, rel: &Path) -> Result<Comparer, Error> {
        // A directory, link or device where the file should be is never read through.
        Ok(Comparer::at(&self.out, rel))
    }

    fn close(&self, rel: &Path, out: Comparer) -> Result<(), Error> {
        let fed = out.finish();
        lock(&self.produced).insert(rel.to_path_buf(), fed.hash);
        if fed.same {
            return Ok(());
        }
        let path = self.out.join(rel);
        let conflict = fed.conflict.or_else(|| {
            let judged = fed.existed.then(|| {
                ownership::judge(self.manifest.as_ref(), rel, &path, &fed.first_line, false)
            });
            judged.and_then(Result::err)
        });
        let mut report = lock(&self.report);
        match conflict {
            Some(kind) => report.in_the_way.push(Conflict { path, kind }),
            None if fed.existed => report.stale.push(rel.to_path_buf()),
            None => report.missing.push(rel.to_path_buf()),
        }
        Ok(())
    }
}

/// The files of an old manifest that are not produced now: those a run
/// removes (still as errspec wrote them, and none of the registry's or
/// errspec.toml), and those it leaves (edited since, or no longer a regular
/// file).
fn removable(
    out: &Path,
    old: &Manifest,
    produced: &BTreeMap<PathBuf, Hash>,
    protected: &Protected,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut remove, mut release) = (Vec::new(), Vec::new());
    for (rel, hash) in &old.files {
        if produced.contains_key(rel) {
            continue;
        }
        let path = out.join(rel);
        match ownership::inspect(out, rel) {
            Ok(Existing::Missing) => {}
            Ok(Existing::Regular)
                if protected.hit(&path).is_none() && ownership::unchanged_since(&path, hash) =>
            {
                remove.push(rel.clone());
            }
            _ => release.push(rel.clone()),
        }
    }
    (remove, release)
}

/// A temporary file being written, hashed and compared with its destination
/// as it goes; with no file when the output is in the way of something (the
/// run fails, but renders on to report every such output at once).
pub(crate) struct Staged {
    file: Option<BufWriter<File>>,
    cmp: Comparer,
    /// The temporary file's name in the transaction's directory.
    tmp: Option<String>,
}

impl Write for Staged {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let n = match self.file.as_mut() {
            Some(f) => f.write(bytes)?,
            None => bytes.len(),
        };
        self.cmp.feed(&bytes[..n]);
        Ok(n)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(f) = self.file.as_mut() {
            f.write_all(bytes)?;
        }
        self.cmp.feed(bytes);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

/// How a run that writes treats what is already in the out directory.
#[derive(Debug, Default, Clone)]
pub struct Ownership {
    /// Outputs (relative to the out directory), or directories of them, to
    /// replace even when errspec did not write the file there, or it was
    /// edited since.
    pub take_over: BTreeSet<PathBuf>,
    /// What no output may land on: the registry, its locks, templates, errspec.toml.
    pub protected: Protected,
}

impl Ownership {
    fn takes_over(&self, rel: &Path) -> bool {
        self.take_over.iter().any(|t| rel.starts_with(t))
    }
}

/// The temporary files of one run, moved into place together by [`Staging::commit`].
///
/// Dropped without a commit (a template or I/O error anywhere in the run, or
/// an output in the way), it removes every temporary file.
pub(crate) struct Staging {
    out: PathBuf,
    txn: Txn,
    manifest: Option<Manifest>,
    ownership: Ownership,
    state: Mutex<StagingState>,
}

#[derive(Default)]
struct StagingState {
    puts: Vec<Put>,
    locks: Vec<(PathBuf, Put)>,
    unchanged: usize,
    produced: BTreeMap<PathBuf, Hash>,
    conflicts: Vec<Conflict>,
    taken_over: Vec<PathBuf>,
    adopted: Vec<PathBuf>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking renderer thread fails the run anyway; its data is still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Staging {
    /// Starts a transaction in the locked out directory and reads its manifest.
    pub fn new(lock: OutLock, out: &Path, ownership: Ownership) -> Result<Staging, Error> {
        let manifest = Manifest::read(out)?;
        let txn = Txn::begin(lock)?;
        Ok(Staging {
            out: out.to_path_buf(),
            txn,
            manifest,
            ownership,
            state: Mutex::default(),
        })
    }

    /// Starts the temporary file of the output `rel`.
    fn stage(&self, rel: &Path) -> Result<Staged, Error> {
        let dest = self.out.join(rel);
        let cmp = match self.ownership.protected.hit(&dest) {
            Some(what) => Comparer::in_the_way(ConflictKind::Protected(what)),
            None => Comparer::at(&self.out, rel),
        };
        if cmp.conflict.is_some() {
            return Ok(Staged {
                file: None,
                cmp,
                tmp: None,
            });
        }
        let (tmp, file) = self.txn.temp()?;
        Ok(Staged {
            file: Some(BufWriter::with_capacity(64 * 1024, file)),
            cmp,
            tmp: Some(tmp),
        })
    }

    /// Finishes an output's temporary file: discarded when `dest` already
    /// holds its bytes, refused when `dest` is not errspec's to replace.
    fn finish(&self, staged: Staged, rel: &Path) -> Result<(), Error> {
        let Staged { file, cmp, tmp } = staged;
        let dest = self.out.join(rel);
        let fed = cmp.finish();
        let file = file
            .map(|f| f.into_inner())
            .transpose()
            .map_err(|e| IoError::os("write", &dest, e.into_error()))?;
        lock(&self.state)
            .produced
            .insert(rel.to_path_buf(), fed.hash);
        if let Some(kind) = fed.conflict {
            lock(&self.state)
                .conflicts
                .push(Conflict { path: dest, kind });
            return Ok(());
        }
        let (Some(tmp), Some(file)) = (tmp, file) else {
            return Ok(());
        };
        if fed.same {
            drop(file);
            // Best effort: the transaction's directory goes as a whole anyway.
            let _ = std::fs::remove_file(self.out.join(crate::journal::TXN_DIR).join(&tmp));
            lock(&self.state).unchanged += 1;
            return Ok(());
        }
        if fed.existed {
            let take_over = self.ownership.takes_over(rel);
            let verdict = ownership::judge(
                self.manifest.as_ref(),
                rel,
                &dest,
                &fed.first_line,
                take_over,
            );
            let mut state = lock(&self.state);
            match verdict {
                Err(kind) => {
                    state.conflicts.push(Conflict { path: dest, kind });
                    return Ok(());
                }
                Ok(Verdict::TakenOver) => state.taken_over.push(rel.to_path_buf()),
                Ok(Verdict::Adopted) => state.adopted.push(rel.to_path_buf()),
                Ok(Verdict::Ours) => {}
            }
        }
        file.sync_all().map_err(IoError::doing("write", &dest))?;
        lock(&self.state).puts.push(Put {
            tmp,
            dest: ownership::slashed(rel),
        });
        Ok(())
    }

    /// Stages a lock file (outside the out directory), written as a whole;
    /// only a regular file is replaced.
    pub fn lock_file(&self, dest: &Path, shown: &Path, text: &str) -> Result<(), Error> {
        let mut cmp = match std::fs::symlink_metadata(dest) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Comparer::new(None),
            Ok(m) if m.is_file() => Comparer::new(Some(dest)),
            Ok(m) => {
                let e = not_regular("write the lock", dest, &m);
                return Err(e
                    .help("make it a regular file (restore it from version control)")
                    .into());
            }
            Err(e) => return Err(IoError::os("inspect the lock", dest, e).into()),
        };
        cmp.feed(text.as_bytes());
        if cmp.finish().same {
            lock(&self.state).unchanged += 1;
            return Ok(());
        }
        let (tmp, mut file) = self.txn.temp_beside(dest)?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(IoError::doing("write", dest))?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        lock(&self.state)
            .locks
            .push((shown.to_path_buf(), Put { tmp, dest: name }));
        Ok(())
    }

    /// Moves every changed file into place and removes the files of the old
    /// manifest that no output is any more, through the journal; or, when an
    /// output is in the way of a file errspec does not own, writes nothing.
    pub fn commit(self) -> Result<WriteReport, Error> {
        let state = std::mem::take(&mut *lock(&self.state));
        if !state.conflicts.is_empty() {
            let mut conflicts = state.conflicts;
            conflicts.sort_by(|a, b| a.path.cmp(&b.path));
            // Dropping `self` removes every temporary file.
            return Err(Error::Conflicts(Conflicts(conflicts)));
        }
        let (remove, released) = match &self.manifest {
            Some(old) => removable(&self.out, old, &state.produced, &self.ownership.protected),
            None => Default::default(),
        };
        let unused_take_over = self
            .ownership
            .take_over
            .iter()
            .filter(|t| !state.produced.keys().any(|rel| rel.starts_with(t)))
            .cloned()
            .collect();
        let mut plan = Plan {
            puts: state.puts,
            ..Plan::default()
        };
        plan.puts.sort_by(|a, b| a.dest.cmp(&b.dest));
        let mut report = WriteReport {
            unchanged: state.unchanged,
            released,
            taken_over: state.taken_over,
            adopted: state.adopted,
            unused_take_over,
            recovered: self.txn.recovered(),
            written: plan.puts.iter().map(|p| PathBuf::from(&p.dest)).collect(),
            removed: remove.clone(),
            ..WriteReport::default()
        };
        report.adopted.sort();
        report.taken_over.sort();
        for rel in remove {
            let sha256 = self
                .manifest
                .as_ref()
                .and_then(|m| m.files.get(&rel))
                .map(ownership::hex)
                .unwrap_or_default();
            plan.removes.push(Remove {
                dest: ownership::slashed(&rel),
                sha256,
            });
        }
        let mut locks = state.locks;
        locks.sort_by(|a, b| a.0.cmp(&b.0));
        for (shown, put) in locks {
            report.written.push(shown);
            plan.locks.push(put);
        }
        // The manifest last: until it is in place, the old one names the old files.
        let manifest = Manifest {
            files: state.produced,
        };
        let text = manifest.render();
        match manifest_is_current(&self.out, &text) {
            Ok(true) => {}
            Ok(false) => {
                let (tmp, mut file) = self.txn.temp()?;
                file.write_all(text.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(IoError::doing(
                        "write the manifest",
                        &self.out.join(MANIFEST),
                    ))?;
                plan.puts.push(Put {
                    tmp,
                    dest: MANIFEST.to_owned(),
                });
                report.written.push(PathBuf::from(MANIFEST));
            }
            Err(kind) => {
                return Err(Error::Conflicts(Conflicts(vec![Conflict {
                    path: self.out.join(MANIFEST),
                    kind,
                }])));
            }
        }
        let dirs: BTreeSet<PathBuf> = manifest
            .files
            .keys()
            .filter_map(|rel| self.out.join(rel).parent().map(Path::to_path_buf))
            .collect();
        self.txn.commit(plan)?;
        for dir in dirs {
            remove_old_temps(&dir);
        }
        Ok(report)
    }
}

impl Sink for Staging {
    type Out = Staged;

    fn open(&self, rel: &Path) -> Result<Staged, Error> {
        self.stage(rel)
    }

    fn close(&self, rel: &Path, out: Staged) -> Result<(), Error> {
        self.finish(out, rel)
    }
}

/// Removes from `dir` the temporary files errspec before 0.2 left when it
/// was killed (`.NAME.PID.N.tmp`, NAME a file beside them): no later run of
/// those versions did.
fn remove_old_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let mut parts = inner.rsplitn(3, '.');
        let (n, pid, file) = (parts.next(), parts.next(), parts.next());
        let numeric = |s: Option<&str>| {
            s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        };
        let ours = numeric(n)
            && numeric(pid)
            && file.is_some_and(|f| dir.join(f).is_file())
            && entry.file_type().is_ok_and(|t| t.is_file());
        if ours {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// "cannot write `PATH`: it is a FIFO (named pipe); ...".
fn not_regular(action: &str, path: &Path, meta: &std::fs::Metadata) -> IoError {
    let kind =
        errspec::input::FileKind::of(meta.file_type()).unwrap_or(errspec::input::FileKind::Other);
    IoError::new(action, path, IoCause::NotRegular(kind))
}

/// Writes one file atomically unless it already holds these bytes; returns
/// whether it wrote. Only a regular file is replaced: a device, a FIFO, a
/// symbolic link or a directory at `path` is an error, untouched.
pub fn write_file(path: &Path, text: &str) -> Result<bool, IoError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => {
            if errspec::input::read(path).is_ok_and(|old| old == text.as_bytes()) {
                return Ok(false);
            }
        }
        Ok(m) => return Err(not_regular("write", path, &m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(IoError::os("write", path, e)),
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // One name per destination: what a killed run left is replaced by the next.
    let tmp = dir.join(format!(".{name}.errspec-tmp"));
    let result = (|| {
        std::fs::create_dir_all(dir)?;
        // A killed run's file (or a link someone put there) goes: never written through.
        if std::fs::symlink_metadata(&tmp).is_ok() {
            std::fs::remove_file(&tmp)?;
        }
        let mut f = File::options().write(true).create_new(true).open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(IoError::doing("write", path))?;
    Ok(true)
}
