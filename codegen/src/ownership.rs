//! What errspec may touch in an out directory, decided from a record of what
//! it wrote, never from a file's contents.
//!
//! Each run writes a manifest, [`MANIFEST`] in the out directory: every
//! output's path and the SHA-256 of the bytes written (the format of
//! `sha256sum`, so `sha256sum -c .errspec-manifest` verifies it by hand).
//! A later run replaces or removes a file only when the manifest names it
//! and its bytes still match; anything else in the way is a [`Conflict`],
//! and the run writes nothing. The way to every output is checked too:
//! every existing directory on it is a real directory (a symbolic link is
//! never followed out of the out directory), and a file is replaced only if
//! it is a regular file.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use errspec::input::FileKind;
use sha2::{Digest, Sha256};

/// The manifest's file name, in the out directory.
pub const MANIFEST: &str = ".errspec-manifest";

/// Text every generated file carries on its first line (the preamble's, see
/// [`errspec::preamble`]). Only the migration from a tree without a manifest
/// reads it: there, a file at an output path of this run is adopted when its
/// first line has it (case-insensitively).
pub const MARKER: &str = errspec::preamble::MARKER;

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Streams bytes into a SHA-256.
#[derive(Clone, Default)]
pub struct Hasher(Sha256);

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(self) -> Hash {
        self.0.finalize().into()
    }
}

/// The SHA-256 of a file's bytes, read in chunks.
pub fn hash_file(path: &Path) -> std::io::Result<Hash> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Hasher::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(hasher.finish());
        }
        hasher.update(&buf[..n]);
    }
}

/// A hash as 64 lowercase hexadecimal digits.
pub fn hex(hash: &Hash) -> String {
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Hash> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut hash = [0u8; 32];
    for (i, byte) in hash.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(hash)
}

/// The files a previous run wrote: path (relative, `/`-separated) to hash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<PathBuf, Hash>,
}

/// A manifest that cannot be read, at its line and column.
#[derive(Debug)]
pub struct ManifestError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub what: ManifestFault,
}

/// What is wrong with a manifest.
#[derive(Debug)]
pub enum ManifestFault {
    /// It cannot be inspected or read.
    Unreadable(errspec::input::InputError),
    /// It is something other than a regular file.
    NotRegular(FileKind),
    /// Its first line is not errspec's.
    NotAManifest,
    /// A line that is not `<sha256>  <path>`.
    NotAnEntry,
    BadDigest,
    /// A path that is absolute or has `.` or `..` parts.
    NotPlainRelative,
    ListedTwice,
}

impl std::fmt::Display for ManifestFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ManifestFault::Unreadable(e) => write!(f, "cannot read the manifest: {e}"),
            ManifestFault::NotRegular(kind) => {
                write!(f, "the manifest is {}, not a regular file", kind.describe())
            }
            ManifestFault::NotAManifest => write!(
                f,
                "this is not an errspec manifest: it does not start with `# {MARKER}: `"
            ),
            ManifestFault::NotAnEntry => f.write_str("expected `<sha256>  <path>`"),
            ManifestFault::BadDigest => f.write_str("expected 64 hexadecimal digits"),
            ManifestFault::NotPlainRelative => {
                f.write_str("expected a relative path without `.` or `..` parts")
            }
            ManifestFault::ListedTwice => f.write_str("this path is listed twice"),
        }
    }
}

impl std::fmt::Display for ManifestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}\n  = help: errspec writes this file to know which files are its own; restore it from version control. Deleting it makes the next run adopt (and overwrite) every file at its output paths whose first line is the one errspec writes there, your edits to them included",
            self.path.display(),
            self.line,
            self.column,
            self.what
        )
    }
}

impl Manifest {
    /// Reads `out/.errspec-manifest`: `None` when there is none yet.
    pub fn read(out: &Path) -> Result<Option<Manifest>, ManifestError> {
        let path = out.join(MANIFEST);
        let fail = |what: ManifestFault| ManifestError {
            path: path.clone(),
            line: 1,
            column: 1,
            what,
        };
        match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                let e = errspec::input::InputError::Io(e);
                return Err(fail(ManifestFault::Unreadable(e)));
            }
            Ok(meta) => {
                if let Some(kind) = FileKind::of(meta.file_type()) {
                    return Err(fail(ManifestFault::NotRegular(kind)));
                }
            }
        }
        let text = errspec::input::read_to_string(&path)
            .map_err(|e| fail(ManifestFault::Unreadable(e)))?;
        Manifest::parse(&path, &text).map(Some)
    }

    /// Parses a manifest's text (`path` is for messages).
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ManifestError> {
        if !text.starts_with(&format!("# {MARKER}: ")) {
            return Err(ManifestError {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                what: ManifestFault::NotAManifest,
            });
        }
        let mut files = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |column: usize, what: ManifestFault| ManifestError {
                path: path.to_path_buf(),
                line: i + 1,
                column,
                what,
            };
            let (digest, rel) = line
                .split_once("  ")
                .ok_or_else(|| fail(1, ManifestFault::NotAnEntry))?;
            let hash = unhex(digest).ok_or_else(|| fail(1, ManifestFault::BadDigest))?;
            if !is_plain_relative(rel) {
                return Err(fail(67, ManifestFault::NotPlainRelative));
            }
            if files.insert(PathBuf::from(rel), hash).is_some() {
                return Err(fail(67, ManifestFault::ListedTwice));
            }
        }
        Ok(Manifest { files })
    }

    /// The manifest's text; `regenerate` is the command that rewrites it.
    pub fn render(&self) -> String {
        let mut text = format!(
            "# {MARKER}: the files errspec wrote in this directory, with their SHA-256.\n\
             # errspec replaces or removes only the files listed here whose bytes still match;\n\
             # every other file is left alone. Commit it with the outputs; do not edit it.\n\
             # Verify by hand in this directory: sha256sum -c {MANIFEST}\n"
        );
        for (rel, hash) in &self.files {
            text.push_str(&hex(hash));
            text.push_str("  ");
            text.push_str(&slashed(rel));
            text.push('\n');
        }
        text
    }
}

/// `rel` with `/` separators, as the manifest and the journal write paths.
pub(crate) fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A relative path of normal parts joined by `/` only: no `.`, `..`, `\`,
/// `:` (a Windows drive or stream) or control character, and nothing under `.git`.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.chars().any(|c| c.is_control() || c == '\\' || c == ':')
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && part != ".git")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// What is at an output's path now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Missing,
    Regular,
}

/// Why errspec will not write an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConflictKind {
    /// A file errspec did not write (the manifest does not list it).
    NotOurs,
    /// With no manifest yet: a file whose first line is not the one errspec
    /// writes there, so not one an earlier errspec wrote.
    NotAdoptable,
    /// The way to the output cannot be inspected: the OS error's kind and
    /// message (kept apart from the `io::Error`, so a conflict compares).
    Unreadable {
        kind: std::io::ErrorKind,
        message: String,
    },
    /// A file errspec wrote, changed since (its hash differs from the manifest's).
    EditedSince,
    /// Something other than a regular file: never replaced.
    NotRegular(FileKind),
    /// A symbolic link on the way to the output (this path): never followed.
    Symlink(PathBuf),
    /// A file where a directory of the output's path must be (this path).
    FileInTheWay(PathBuf),
    /// The output would land on the registry (or in its directory), a lock,
    /// the templates' directory or errspec.toml.
    Protected(String),
}

/// One output errspec will not write, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The output's path (the out directory joined with its relative path).
    pub path: PathBuf,
    pub kind: ConflictKind,
}

impl Conflict {
    /// What is wrong, and how to resolve it.
    pub fn describe(&self) -> String {
        let path = self.path.display();
        let take_over = shell_quoted(&self.path);
        match &self.kind {
            ConflictKind::NotOurs => format!(
                "`{path}` is in the way: errspec did not write it (its manifest does not list it)\n  = help: move or delete it, or let errspec replace it: `--take-over {take_over}`"
            ),
            ConflictKind::NotAdoptable => format!(
                "`{path}` is in the way: there is no manifest yet, and its first line is not the one errspec writes there, so errspec did not write it\n  = help: move or delete it, or let errspec replace it: `--take-over {take_over}`"
            ),
            ConflictKind::EditedSince => format!(
                "`{path}` was edited since errspec wrote it (its bytes differ from the manifest's hash)\n  = help: keep your edit elsewhere (make the change in the registry or a template), then delete it or run with `--take-over {take_over}`"
            ),
            ConflictKind::Unreadable { message, .. } => format!(
                "cannot inspect `{path}`: {message}\n  = help: make the out directory readable to you"
            ),
            ConflictKind::NotRegular(kind) => format!(
                "`{path}` is {}; errspec only replaces regular files\n  = help: move it away, or choose another out directory",
                kind.describe()
            ),
            ConflictKind::Symlink(link) => format!(
                "`{}` is a symbolic link on the way to `{path}`; errspec never writes through one\n  = help: replace the link with a directory, or point `out` at the real directory",
                link.display()
            ),
            ConflictKind::FileInTheWay(file) => format!(
                "`{}` is a file where the output `{path}` needs a directory\n  = help: move or delete it",
                file.display()
            ),
            ConflictKind::Protected(what) => format!(
                "the output `{path}` would be written over {what}\n  = help: choose an `out` directory that the registry, its locks, the templates and errspec.toml are not inside of, or move them out of the way of the outputs"
            ),
        }
    }
}

/// `path` as a shell word: quoted when it holds anything but safe characters.
fn shell_quoted(path: &Path) -> String {
    let text = path.display().to_string();
    let safe = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+=,@%".contains(c));
    if safe {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Every output errspec will not write; the run wrote nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflicts(pub Vec<Conflict>);

impl std::fmt::Display for Conflicts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for c in &self.0 {
            writeln!(f, "error: {}", c.describe())?;
        }
        write!(
            f,
            "error: {} file{} in the way; nothing was written",
            self.0.len(),
            if self.0.len() == 1 { " is" } else { "s are" }
        )
    }
}

/// Inspects the way from `out` to `out/rel` without following a symbolic
/// link: every existing part is a real directory, the output itself missing
/// or a regular file.
pub fn inspect(out: &Path, rel: &Path) -> Result<Existing, ConflictKind> {
    let mut at = out.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let last = i + 1 == parts.len();
        let meta = match std::fs::symlink_metadata(&at) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Missing),
            Err(e) => {
                return Err(ConflictKind::Unreadable {
                    kind: e.kind(),
                    message: e.to_string(),
                });
            }
        };
        let ft = meta.file_type();
        if ft.is_symlink() {
            return Err(if last {
                ConflictKind::NotRegular(FileKind::Symlink)
            } else {
                ConflictKind::Symlink(at)
            });
        }
        if last {
            return match FileKind::of(ft) {
                None => Ok(Existing::Regular),
                Some(kind) => Err(ConflictKind::NotRegular(kind)),
            };
        }
        if !ft.is_dir() {
            return Err(ConflictKind::FileInTheWay(at));
        }
    }
    Ok(Existing::Missing)
}

/// The first line of `bytes`, without its line ending (at most 512 bytes).
pub fn first_line(bytes: &[u8]) -> &[u8] {
    let head = &bytes[..bytes.len().min(512)];
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Whether an earlier errspec (before manifests) wrote the file at `path`:
/// its first line is exactly the one this run writes there, and that line
/// carries [`MARKER`].
fn adoptable(path: &Path, new_first_line: &[u8]) -> bool {
    let mut head = Vec::with_capacity(512);
    let read = std::fs::File::open(path).and_then(|f| f.take(512).read_to_end(&mut head));
    read.is_ok()
        && first_line(&head) == new_first_line
        && String::from_utf8_lossy(new_first_line)
            .to_lowercase()
            .contains(MARKER)
}

/// Whether the file at `path` still holds what errspec wrote, by `hash`;
/// a checkout that turned its line endings into CRLF (Git's `autocrlf`)
/// holds it too.
pub fn unchanged_since(path: &Path, hash: &Hash) -> bool {
    if hash_file(path).is_ok_and(|now| &now == hash) {
        return true;
    }
    let Ok(bytes) = errspec::input::read(path) else {
        return false;
    };
    if !bytes.windows(2).any(|w| w == b"\r\n") {
        return false;
    }
    let mut hasher = Hasher::default();
    let mut rest = bytes.as_slice();
    while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
        hasher.update(&rest[..i]);
        hasher.update(b"\n");
        rest = &rest[i + 2..];
    }
    hasher.update(rest);
    &hasher.finish() == hash
}

/// How errspec may replace the regular file at an output's path that
/// differs from the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The manifest lists it with its current bytes.
    Ours,
    /// No manifest yet: an earlier errspec wrote it.
    Adopted,
    /// Not errspec's, but `--take-over` names it.
    TakenOver,
}

/// Who owns the regular file at an output's path that differs from the
/// output (whose first line is `new_first_line`).
pub fn judge(
    manifest: Option<&Manifest>,
    rel: &Path,
    path: &Path,
    new_first_line: &[u8],
    take_over: bool,
) -> Result<Verdict, ConflictKind> {
    let verdict = match manifest {
        Some(m) => match m.files.get(rel) {
            None => Err(ConflictKind::NotOurs),
            Some(hash) if unchanged_since(path, hash) => Ok(Verdict::Ours),
            Some(_) => Err(ConflictKind::EditedSince),
        },
        None if adoptable(path, new_first_line) => Ok(Verdict::Adopted),
        None => Err(ConflictKind::NotAdoptable),
    };
    match verdict {
        Err(ConflictKind::NotOurs | ConflictKind::NotAdoptable | ConflictKind::EditedSince)
            if take_over =>
        {
            Ok(Verdict::TakenOver)
        }
        other => other,
    }
}

/// What outputs may not land on: files errspec reads, and the directories
/// whose files it reads (an output there would be read back as input).
#[derive(Debug, Default, Clone)]
pub struct Protected {
    /// Each path, how messages name it, and whether it is a directory whose
    /// entries (not deeper files: the loader reads only those) are protected.
    pub paths: Vec<(PathBuf, String, bool)>,
}

impl Protected {
    /// Protects `path`: the file itself, or a directory's own entries.
    pub fn add(&mut self, path: &Path, what: impl Into<String>) {
        let dir = path.is_dir();
        self.paths.push((absolute(path), what.into(), dir));
    }

    /// What an output at `dest` would land on.
    pub fn hit(&self, dest: &Path) -> Option<String> {
        let dest = absolute(dest);
        self.paths
            .iter()
            .find(|(p, _, dir)| match dir {
                true => dest.parent() == Some(p.as_path()) || &dest == p,
                false => &dest == p,
            })
            .map(|(p, what, dir)| match dir {
                true => format!("{what}'s own files, in `{}`", p.display()),
                false => format!("{what} `{}`", p.display()),
            })
    }
}

/// `path` made absolute with its directory canonical, its last part kept as
/// it is (a symbolic link there is named, not followed).
pub fn absolute_keeping_name(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => absolute(&path),
    }
}

/// `path` made absolute and canonical where it exists (the longest existing
/// prefix canonicalized, the rest appended), so `a/../b` and links compare.
pub fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut cur = path.as_path();
    loop {
        if let Ok(canon) = cur.canonicalize() {
            let mut full = canon;
            for part in rest.iter().rev() {
                full.push(part);
            }
            return full;
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return path,
        }
    }
}

/// An out directory errspec refuses before anything is read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusedOut {
    /// The root of the file system.
    Root(PathBuf),
    /// The user's home directory.
    Home(PathBuf),
    /// A directory holding the user's home directory.
    HoldsHome { out: PathBuf, home: PathBuf },
}

impl std::fmt::Display for RefusedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RefusedOut::Root(out) => write!(
                f,
                "the out directory `{}` is the root of the file system",
                out.display()
            ),
            RefusedOut::Home(out) => write!(
                f,
                "the out directory `{}` is your home directory",
                out.display()
            ),
            RefusedOut::HoldsHome { out, home } => write!(
                f,
                "the out directory `{}` holds your home directory `{}`",
                out.display(),
                home.display()
            ),
        }?;
        f.write_str("; errspec replaces and removes files in its out directory, so it refuses this one\n  = help: set `out` in errspec.toml (or pass --out) to a directory of its own, such as `generated`")
    }
}

impl std::error::Error for RefusedOut {}

/// Why an out directory is refused before anything is read from it.
pub fn refuse_out(out: &Path) -> Option<RefusedOut> {
    let out = absolute(out);
    if out.parent().is_none() {
        return Some(RefusedOut::Root(out));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| absolute(Path::new(&h)));
    match home {
        Some(home) if home == out => Some(RefusedOut::Home(out)),
        Some(home) if home.starts_with(&out) => Some(RefusedOut::HoldsHome { out, home }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_it_wrote() {
        let mut m = Manifest::default();
        m.files.insert(PathBuf::from("rust/src/lib.rs"), [7; 32]);
        m.files.insert(PathBuf::from("a b/c.ts"), [255; 32]);
        let text = m.render();
        assert_eq!(Manifest::parse(Path::new("m"), &text).ok(), Some(m));
    }

    #[test]
    fn a_damaged_manifest_is_an_error_at_its_line() {
        let head = format!("# {MARKER}: files\n");
        let good = format!("{head}# c\n{}  a.ts\n", "0".repeat(64));
        assert!(Manifest::parse(Path::new("m"), &good).is_ok());
        for (text, line, column) in [
            (format!("{head}# c\n{}  a.ts\nzz", "0".repeat(64)), 4, 1),
            (format!("{head}{}  ../a.ts\n", "0".repeat(64)), 2, 67),
            (format!("{head}{}  /etc/passwd\n", "0".repeat(64)), 2, 67),
            (format!("{head}{}  .git/config\n", "0".repeat(64)), 2, 67),
            (format!("{head}{}  a\\b\n", "0".repeat(64)), 2, 67),
            (format!("{head}{}  c:d\n", "0".repeat(64)), 2, 67),
            (
                format!("{head}{}  a\n{}  a\n", "0".repeat(64), "1".repeat(64)),
                3,
                67,
            ),
            (format!("{head}{} a\n", "0".repeat(64)), 2, 1),
            (String::new(), 1, 1),
            (format!("{}  a.ts\n", "0".repeat(64)), 1, 1),
        ] {
            let e = Manifest::parse(Path::new("m"), &text).expect_err(&text);
            assert_eq!((e.line, e.column), (line, column), "{text}");
        }
    }

    #[test]
    fn the_root_and_the_home_directory_are_refused() {
        assert!(refuse_out(Path::new("/")).is_some());
        assert!(refuse_out(Path::new("/tmp/../")).is_some());
        assert!(refuse_out(Path::new(env!("CARGO_MANIFEST_DIR"))).is_none());
    }
}
