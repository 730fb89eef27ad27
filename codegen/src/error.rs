//! Why a run failed, typed: what the library returns, and what the binary
//! prints (each message names what is wrong and how to fix it).

use std::path::{Path, PathBuf};

use errspec::input::FileKind;

use crate::journal::TxnError;
use crate::ownership::{Conflicts, ManifestError, RefusedOut};
use crate::template_error::TemplateError;

/// Why nothing was generated.
#[derive(Debug)]
pub enum Error {
    /// The registry is invalid: every diagnostic.
    Registry(errspec::Diagnostics),
    /// A template is malformed or failed to render.
    Template(Box<TemplateError>),
    /// The Rust target cannot be emitted (a platform the catalog does not serve).
    Emit(errspec_rust::EmitError),
    /// Reading or writing a file failed.
    Io(IoError),
    /// The out directory's transaction: another run holds it, it is not a
    /// directory, a dead run's journal cannot be used, or a commit failed.
    Txn(TxnError),
    /// The previous run's manifest cannot be read.
    Manifest(ManifestError),
    /// Outputs are in the way of files errspec does not own (or that were
    /// edited since it wrote them): nothing was written.
    Conflicts(Conflicts),
    /// An out directory errspec must not own (exit status 2).
    OutRefused(RefusedOut),
    /// The generator was misused, e.g. a [`crate::Generator::platform`]
    /// naming a target or a platform that does not exist (exit status 2).
    Usage(UsageProblems),
}

/// Every way the settings misuse the generator, each a sentence naming the
/// setting (where it came from) and the fix: resolving reports them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageProblems(pub Vec<String>);

impl std::fmt::Display for UsageProblems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\nerror: "))
    }
}

impl Error {
    /// The message to print; diagnostics in colour when `color`.
    pub fn render(&self, color: bool) -> String {
        match self {
            Error::Registry(d) => d.render(color),
            Error::Conflicts(c) => format!("{c}\n"),
            Error::Template(e) => e.render(color),
            Error::Usage(e) => format!("error: {e}\n"),
            Error::Emit(e) => format!("error: {e}\n"),
            Error::Io(e) => format!("error: {e}\n"),
            Error::Txn(e) => format!("error: {e}\n"),
            Error::Manifest(e) => format!("error: {e}\n"),
            Error::OutRefused(e) => format!("error: {e}\n"),
        }
    }

    /// Whether the caller misused errspec (the binary exits with 2), rather
    /// than the registry, the templates or the files failing.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Usage(_) | Error::OutRefused(_) | Error::Txn(TxnError::NotADirectory(_))
        )
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Registry(e) => Some(e),
            Error::Emit(e) => Some(e),
            Error::Io(e) => Some(e),
            Error::Txn(e) => Some(e),
            Error::Template(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

impl From<IoError> for Error {
    fn from(e: IoError) -> Self {
        Error::Io(e)
    }
}

impl From<TemplateError> for Error {
    fn from(e: TemplateError) -> Self {
        Error::Template(Box::new(e))
    }
}

impl From<TxnError> for Error {
    fn from(e: TxnError) -> Self {
        Error::Txn(e)
    }
}

impl From<ManifestError> for Error {
    fn from(e: ManifestError) -> Self {
        Error::Manifest(e)
    }
}

impl From<errspec_rust::EmitError> for Error {
    fn from(e: errspec_rust::EmitError) -> Self {
        Error::Emit(e)
    }
}

/// A file operation that failed: what was being done, to which file, and why.
#[derive(Debug)]
pub struct IoError {
    /// What was being done, as "cannot {action} `{path}`" reads: "write",
    /// "create", "inspect the lock", "move `.errspec-txn/3` into place as".
    pub action: String,
    pub path: PathBuf,
    pub cause: IoCause,
    /// How to fix it, when errspec knows better than the cause says.
    pub help: Option<&'static str>,
}

/// Why a file operation failed.
#[derive(Debug)]
pub enum IoCause {
    /// The operating system refused.
    Os(std::io::Error),
    /// Something other than a regular file is where errspec writes one.
    NotRegular(FileKind),
    /// Something other than a directory is where errspec needs one.
    NotADirectory,
    /// An output's bytes are not UTF-8: a template helper wrote invalid bytes.
    NotUtf8(std::string::FromUtf8Error),
}

impl IoError {
    /// The operating system's `error` while doing `action` to `path`.
    pub fn os(action: impl Into<String>, path: &Path, error: std::io::Error) -> IoError {
        IoError::new(action, path, IoCause::Os(error))
    }

    pub fn new(action: impl Into<String>, path: &Path, cause: IoCause) -> IoError {
        IoError {
            action: action.into(),
            path: path.to_path_buf(),
            cause,
            help: None,
        }
    }

    /// A closure for `map_err`: the OS error while doing `action` to `path`.
    pub fn doing(action: &str, path: &Path) -> impl FnOnce(std::io::Error) -> IoError + use<> {
        let (action, path) = (action.to_owned(), path.to_path_buf());
        move |e| IoError::os(action, &path, e)
    }

    pub fn help(mut self, help: &'static str) -> IoError {
        self.help = Some(help);
        self
    }
}

impl std::fmt::Display for IoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (action, path) = (&self.action, self.path.display());
        match &self.cause {
            IoCause::Os(e) => write!(f, "cannot {action} `{path}`: {e}")?,
            IoCause::NotRegular(kind) => write!(
                f,
                "cannot {action} `{path}`: it is {}; errspec only replaces regular files",
                kind.describe()
            )?,
            IoCause::NotADirectory => write!(
                f,
                "cannot {action} `{path}`: something other than a directory is in the way"
            )?,
            IoCause::NotUtf8(e) => write!(
                f,
                "the output `{path}` is not UTF-8 ({e}); a helper wrote invalid bytes"
            )?,
        }
        if let Some(help) = self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for IoError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.cause {
            IoCause::Os(e) => Some(e),
            IoCause::NotUtf8(e) => Some(e),
            _ => None,
        }
    }
}
