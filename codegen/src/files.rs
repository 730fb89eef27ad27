//! Writing outputs: atomic, byte-for-byte change detection, and `--check`.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Text every generated file carries near its top; only files with it are
/// ever deleted as "extra", so a mistaken `--out` cannot remove user files.
pub const MARKER: &str = "errspec codegen";

#[derive(Debug, Default)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: usize,
    pub removed: Vec<PathBuf>,
}

/// What `--check` found; empty when the out directory is up to date.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub stale: Vec<PathBuf>,
    pub missing: Vec<PathBuf>,
    /// Generated files that the registry no longer produces.
    pub extra: Vec<PathBuf>,
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

/// Writes one file atomically unless it already holds these bytes; returns whether it wrote.
pub fn write_file(path: &Path, text: &str) -> Result<bool, String> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    write_atomic(path, text.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    Ok(true)
}

/// Writes each file through a temporary file and a rename, skipping files
/// whose bytes are already there, and removes generated files no longer produced.
pub fn write(out: &Path, files: &BTreeMap<PathBuf, String>) -> Result<WriteReport, String> {
    let mut report = WriteReport::default();
    for (rel, text) in files {
        if write_file(&out.join(rel), text)? {
            report.written.push(rel.clone());
        } else {
            report.unchanged += 1;
        }
    }
    for rel in extra_files(out, files)? {
        let path = out.join(&rel);
        std::fs::remove_file(&path)
            .map_err(|e| format!("cannot remove `{}`: {e}", path.display()))?;
        report.removed.push(rel);
    }
    Ok(report)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Compares what would be written with what is there.
pub fn check(out: &Path, files: &BTreeMap<PathBuf, String>) -> Result<CheckReport, String> {
    let mut report = CheckReport::default();
    for (rel, text) in files {
        match std::fs::read(out.join(rel)) {
            Ok(old) if old == text.as_bytes() => {}
            Ok(_) => report.stale.push(rel.clone()),
            Err(_) => report.missing.push(rel.clone()),
        }
    }
    report.extra = extra_files(out, files)?;
    Ok(report)
}

/// Files under `out` that carry the generated marker but are not in `files`.
fn extra_files(out: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<PathBuf>, String> {
    let mut extra = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel_dir) = stack.pop() {
        let dir = out.join(&rel_dir);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == "node_modules" || name == "target"
            {
                continue;
            }
            let rel = rel_dir.join(&name);
            let ft = entry
                .file_type()
                .map_err(|e| format!("cannot read `{}`: {e}", entry.path().display()))?;
            if ft.is_dir() {
                stack.push(rel);
            } else if ft.is_file() && !files.contains_key(&rel) && is_generated(&entry.path()) {
                extra.push(rel);
            }
        }
    }
    extra.sort();
    Ok(extra)
}

fn is_generated(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).into_owned();
        head.contains(MARKER)
    })
}
