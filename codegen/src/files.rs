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

use crate::journal::{Op, Recovery, Txn};
use crate::ownership::{
    self, Conflict, ConflictKind, Conflicts, Existing, Hash, Hasher, MANIFEST, Manifest, Protected,
};

pub use crate::ownership::MARKER;

#[derive(Debug, Default)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
    /// Files of an earlier run that are no longer outputs but were edited
    /// since: left in place and dropped from the manifest (now the user's).
    pub released: Vec<PathBuf>,
    /// Files in the way that `--take-over` let this run replace.
    pub taken_over: Vec<PathBuf>,
    /// What the run found left by an interrupted one, and did with it.
    pub recovered: Option<Recovery>,
    /// How many view models (and handlebars contexts) the run built: one per
    /// distinct view of a catalog, whatever the number of templates rendering it.
    pub views_built: usize,
}

/// What `--check` found; empty when the out directory is up to date.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub stale: Vec<PathBuf>,
    pub missing: Vec<PathBuf>,
    /// Files of the manifest that the registry no longer produces (a run removes them).
    pub extra: Vec<PathBuf>,
    /// What `--check` found left by an interrupted run, and did with it.
    pub recovered: Option<Recovery>,
    /// Lock files that lack codes or names the registry now publishes (or do not exist yet).
    pub stale_locks: Vec<PathBuf>,
}

impl CheckReport {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty()
            && self.missing.is_empty()
            && self.extra.is_empty()
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
    fn open(&self, rel: &Path) -> Result<Self::Out, String>;
    fn close(&self, rel: &Path, out: Self::Out) -> Result<(), String>;

    /// An output already rendered as text (the Rust target).
    fn text(&self, rel: &Path, text: &str) -> Result<(), String> {
        let mut out = self.open(rel)?;
        out.write_all(text.as_bytes())
            .map_err(|e| format!("cannot write `{}`: {e}", rel.display()))?;
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

    fn open(&self, _: &Path) -> Result<Vec<u8>, String> {
        Ok(Vec::new())
    }

    fn close(&self, rel: &Path, out: Vec<u8>) -> Result<(), String> {
        let text = String::from_utf8(out).map_err(|e| {
            format!(
                "the output `{}` is not UTF-8 ({e}); a helper wrote invalid bytes",
                rel.display()
            )
        })?;
        lock(&self.files).insert(rel.to_path_buf(), text);
        Ok(())
    }
}

/// Compares bytes, as they come, with a file's, and hashes them: no more
/// than a buffer of either is held.
pub(crate) struct Comparer {
    /// The old file; `None` when it does not exist (or once it differs).
    old: Option<BufReader<File>>,
    existed: bool,
    same: bool,
    buf: Vec<u8>,
    hasher: Hasher,
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
        }
    }

    /// Something that is not a regular file is there: it differs.
    fn in_the_way() -> Comparer {
        Comparer {
            existed: true,
            ..Comparer::new(None)
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.hasher.update(bytes);
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

    /// Whether the old file held exactly the bytes fed, no more; and their hash.
    fn finish(mut self) -> (bool, Hash) {
        let same = self.same
            && self
                .old
                .as_mut()
                .is_some_and(|old| matches!(old.read(&mut [0u8; 1]), Ok(0)));
        (same, self.hasher.finish())
    }
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

/// `--check`: each output compared with the out directory, nothing written
/// (but what an interrupted run left is finished or rolled back first).
pub(crate) struct Checking {
    out: PathBuf,
    manifest: Option<Manifest>,
    recovered: Option<Recovery>,
    report: Mutex<CheckReport>,
    produced: Mutex<BTreeMap<PathBuf, Hash>>,
}

impl Checking {
    /// `recovered`: what [`crate::journal::recover`] did before the registry was read.
    pub fn new(out: &Path, recovered: Option<Recovery>) -> Result<Checking, String> {
        let manifest = Manifest::read(out).map_err(|e| e.to_string())?;
        Ok(Checking {
            out: out.to_path_buf(),
            manifest,
            recovered,
            report: Mutex::default(),
            produced: Mutex::default(),
        })
    }

    /// The stale and missing outputs (the manifest among them), and the
    /// files of the manifest that a run would remove.
    pub fn finish(self) -> Result<CheckReport, String> {
        let produced = self
            .produced
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let mut report = self.report.into_inner().unwrap_or_else(|e| e.into_inner());
        report.recovered = self.recovered;
        let manifest = Manifest {
            files: produced.clone(),
        };
        let mut cmp = match ownership::inspect(&self.out, Path::new(MANIFEST)) {
            Ok(Existing::Regular) => Comparer::new(Some(&self.out.join(MANIFEST))),
            Ok(Existing::Missing) => Comparer::new(None),
            Err(_) => Comparer::in_the_way(),
        };
        cmp.feed(manifest.render().as_bytes());
        let existed = cmp.existed;
        if !cmp.finish().0 {
            let list = if existed {
                &mut report.stale
            } else {
                &mut report.missing
            };
            list.push(PathBuf::from(MANIFEST));
        }
        report.stale.sort();
        report.missing.sort();
        if let Some(old) = &self.manifest {
            report.extra = removable(&self.out, old, &produced).0;
        }
        Ok(report)
    }
}

impl Sink for Checking {
    type Out = Comparer;

    fn open(&self, rel: &Path) -> Result<Comparer, String> {
        Ok(match ownership::inspect(&self.out, rel) {
            Ok(Existing::Regular) => Comparer::new(Some(&self.out.join(rel))),
            Ok(Existing::Missing) => Comparer::new(None),
            // A directory, link or device where the file should be: stale,
            // and never read through.
            Err(_) => Comparer::in_the_way(),
        })
    }

    fn close(&self, rel: &Path, out: Comparer) -> Result<(), String> {
        let existed = out.existed;
        let (same, hash) = out.finish();
        lock(&self.produced).insert(rel.to_path_buf(), hash);
        if !same {
            let mut report = lock(&self.report);
            if existed {
                report.stale.push(rel.to_path_buf());
            } else {
                report.missing.push(rel.to_path_buf());
            }
        }
        Ok(())
    }
}

/// The files of an old manifest that are not produced now: those a run
/// removes (still as errspec wrote them), and those it leaves (edited since,
/// or no longer a regular file).
fn removable(
    out: &Path,
    old: &Manifest,
    produced: &BTreeMap<PathBuf, Hash>,
) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut remove, mut release) = (Vec::new(), Vec::new());
    for (rel, hash) in &old.files {
        if produced.contains_key(rel) {
            continue;
        }
        match ownership::inspect(out, rel) {
            Ok(Existing::Missing) => {}
            Ok(Existing::Regular)
                if ownership::hash_file(&out.join(rel)).is_ok_and(|h| &h == hash) =>
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
    tmp: Option<PathBuf>,
    /// What is in the way of the output, if anything.
    conflict: Option<ConflictKind>,
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
    /// Outputs (relative to the out directory) to replace even when errspec
    /// did not write the file there, or it was edited since.
    pub take_over: BTreeSet<PathBuf>,
    /// What no output may land on: the registry, its locks, templates, errspec.toml.
    pub protected: Protected,
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
    ops: Vec<(PathBuf, Op)>,
    unchanged: usize,
    produced: BTreeMap<PathBuf, Hash>,
    conflicts: Vec<Conflict>,
    taken_over: Vec<PathBuf>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking renderer thread fails the run anyway; its data is still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Staging {
    /// Locks the out directory, recovers what a dead run left, reads the manifest.
    pub fn new(out: &Path, ownership: Ownership) -> Result<Staging, crate::Error> {
        // Before creating anything: a manifest that cannot be read stops the run.
        let manifest = Manifest::read(out).map_err(|e| crate::Error::Io(e.to_string()))?;
        let txn = Txn::begin(out).map_err(|e| crate::Error::Io(e.to_string()))?;
        // A dead run may have changed the manifest: read it again.
        let manifest = match txn.recovered {
            Some(_) => Manifest::read(out).map_err(|e| crate::Error::Io(e.to_string()))?,
            None => manifest,
        };
        Ok(Staging {
            out: out.to_path_buf(),
            txn,
            manifest,
            ownership,
            state: Mutex::default(),
        })
    }

    /// Starts the temporary file of the output `rel`.
    fn stage(&self, rel: &Path) -> Result<Staged, String> {
        let dest = self.out.join(rel);
        let way = match self.ownership.protected.hit(&dest) {
            Some(what) => Err(ConflictKind::Protected(what)),
            None => ownership::inspect(&self.out, rel),
        };
        let cmp = match way {
            Ok(Existing::Regular) => Comparer::new(Some(&dest)),
            Ok(Existing::Missing) => Comparer::new(None),
            Err(kind) => {
                return Ok(Staged {
                    file: None,
                    cmp: Comparer::in_the_way(),
                    tmp: None,
                    conflict: Some(kind),
                });
            }
        };
        let (tmp, file) = self.txn.temp().map_err(|e| e.to_string())?;
        Ok(Staged {
            file: Some(BufWriter::with_capacity(64 * 1024, file)),
            cmp,
            tmp: Some(tmp),
            conflict: None,
        })
    }

    /// Finishes an output's temporary file: discarded when `dest` already
    /// holds its bytes, refused when `dest` is not errspec's to replace.
    fn finish(&self, staged: Staged, rel: &Path) -> Result<(), String> {
        let Staged {
            file,
            cmp,
            tmp,
            conflict,
        } = staged;
        let dest = self.out.join(rel);
        let existed = cmp.existed;
        let (same, hash) = cmp.finish();
        let file = file
            .map(|f| f.into_inner())
            .transpose()
            .map_err(|e| format!("cannot write `{}`: {}", dest.display(), e.error()))?;
        let mut state = lock(&self.state);
        state.produced.insert(rel.to_path_buf(), hash);
        if let Some(kind) = conflict {
            state.conflicts.push(Conflict { path: dest, kind });
            return Ok(());
        }
        let (Some(tmp), Some(file)) = (tmp, file) else {
            return Ok(());
        };
        if same {
            drop(file);
            // Best effort: the transaction's directory goes as a whole anyway.
            let _ = std::fs::remove_file(&tmp);
            state.unchanged += 1;
            return Ok(());
        }
        if existed {
            let take_over = self.ownership.take_over.contains(rel);
            match ownership::judge(self.manifest.as_ref(), rel, &dest, take_over) {
                Err(kind) => {
                    state.conflicts.push(Conflict { path: dest, kind });
                    return Ok(());
                }
                Ok(()) => {
                    if take_over
                        && ownership::judge(self.manifest.as_ref(), rel, &dest, false).is_err()
                    {
                        state.taken_over.push(rel.to_path_buf());
                    }
                }
            }
        }
        drop(state);
        file.sync_all()
            .map_err(|e| format!("cannot write `{}`: {e}", tmp.display()))?;
        lock(&self.state)
            .ops
            .push((rel.to_path_buf(), Op::Put { tmp, dest }));
        Ok(())
    }

    /// Stages a lock file (outside the out directory), written as a whole;
    /// only a regular file is replaced.
    pub fn lock_file(&self, dest: &Path, shown: &Path, text: &str) -> Result<(), String> {
        let cmp = match std::fs::symlink_metadata(dest) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Comparer::new(None),
            Ok(m) if m.is_file() => Comparer::new(Some(dest)),
            Ok(m) => {
                return Err(format!(
                    "{}\n  = help: make it a regular file (restore it from version control)",
                    not_regular("the lock ", dest, &m)
                ));
            }
            Err(e) => return Err(format!("cannot inspect the lock `{}`: {e}", dest.display())),
        };
        let mut cmp = cmp;
        cmp.feed(text.as_bytes());
        if cmp.finish().0 {
            lock(&self.state).unchanged += 1;
            return Ok(());
        }
        let (tmp, mut file) = self.txn.temp_beside(dest).map_err(|e| e.to_string())?;
        file.write_all(text.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write `{}`: {e}", tmp.display()))?;
        lock(&self.state).ops.push((
            shown.to_path_buf(),
            Op::Put {
                tmp,
                dest: dest.to_path_buf(),
            },
        ));
        Ok(())
    }

    /// Moves every changed file into place and removes the files of the old
    /// manifest that no output is any more, through the journal; or, when an
    /// output is in the way of a file errspec does not own, writes nothing.
    pub fn commit(self) -> Result<WriteReport, crate::Error> {
        let state = std::mem::take(&mut *lock(&self.state));
        if !state.conflicts.is_empty() {
            let mut conflicts = state.conflicts;
            conflicts.sort_by(|a, b| a.path.cmp(&b.path));
            // Dropping `self` removes every temporary file.
            return Err(crate::Error::Conflicts(Conflicts(conflicts)));
        }
        let io = |e: String| crate::Error::Io(e);
        let (remove, released) = match &self.manifest {
            Some(old) => removable(&self.out, old, &state.produced),
            None => Default::default(),
        };
        let mut report = WriteReport {
            unchanged: state.unchanged,
            released,
            taken_over: state.taken_over,
            recovered: self.txn.recovered,
            ..WriteReport::default()
        };
        let mut ops = state.ops;
        ops.sort_by(|a, b| a.0.cmp(&b.0));
        for rel in &remove {
            let dest = self.out.join(rel);
            let sha256 = self
                .manifest
                .as_ref()
                .and_then(|m| m.files.get(rel))
                .map(ownership::hex)
                .unwrap_or_default();
            ops.push((rel.clone(), Op::Remove { dest, sha256 }));
        }
        // The manifest last: until it is in place, the old one names the old files.
        let manifest = Manifest {
            files: state.produced,
        };
        let text = manifest.render();
        let mut cmp = match ownership::inspect(&self.out, Path::new(MANIFEST)) {
            Ok(Existing::Regular) => Comparer::new(Some(&self.out.join(MANIFEST))),
            Ok(Existing::Missing) => Comparer::new(None),
            Err(kind) => {
                return Err(crate::Error::Conflicts(Conflicts(vec![Conflict {
                    path: self.out.join(MANIFEST),
                    kind,
                }])));
            }
        };
        cmp.feed(text.as_bytes());
        if !cmp.finish().0 {
            let (tmp, mut file) = self.txn.temp().map_err(|e| io(e.to_string()))?;
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| io(format!("cannot write `{}`: {e}", tmp.display())))?;
            let dest = self.out.join(MANIFEST);
            ops.push((PathBuf::from(MANIFEST), Op::Put { tmp, dest }));
        }
        for (shown, op) in &ops {
            match op {
                Op::Put { .. } => report.written.push(shown.clone()),
                Op::Remove { .. } => report.removed.push(shown.clone()),
            }
        }
        let dirs: BTreeSet<PathBuf> = manifest
            .files
            .keys()
            .filter_map(|rel| self.out.join(rel).parent().map(Path::to_path_buf))
            .collect();
        self.txn
            .commit(ops.into_iter().map(|(_, op)| op).collect())
            .map_err(|e| io(e.to_string()))?;
        for dir in dirs {
            remove_old_temps(&dir);
        }
        Ok(report)
    }
}

impl Sink for Staging {
    type Out = Staged;

    fn open(&self, rel: &Path) -> Result<Staged, String> {
        self.stage(rel)
    }

    fn close(&self, rel: &Path, out: Staged) -> Result<(), String> {
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

/// "cannot write `PATH`: it is a FIFO (named pipe); ..." (`what` before the path).
fn not_regular(what: &str, path: &Path, meta: &std::fs::Metadata) -> String {
    let kind =
        errspec::input::FileKind::of(meta.file_type()).unwrap_or(errspec::input::FileKind::Other);
    format!(
        "cannot write {what}`{}`: it is {}; errspec only replaces regular files",
        path.display(),
        kind.describe()
    )
}

/// Writes one file atomically unless it already holds these bytes; returns
/// whether it wrote. Only a regular file is replaced: a device, a FIFO, a
/// symbolic link or a directory at `path` is an error, untouched.
pub fn write_file(path: &Path, text: &str) -> Result<bool, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() => {
            if errspec::input::read(path).is_ok_and(|old| old == text.as_bytes()) {
                return Ok(false);
            }
        }
        Ok(m) => return Err(not_regular("", path, &m)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot write `{}`: {e}", path.display())),
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
        let mut f = File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    Ok(true)
}
