//! Reading the files errspec is given: regular files of a bounded size only.
//!
//! The kind and size are checked from the file's metadata before it is
//! opened, so that a FIFO (whose `open` blocks until a writer comes), a
//! device such as `/dev/zero` (which never ends) or a directory is an error
//! at once, never a hang or unbounded memory. The read itself is bounded
//! too, for files that grow while being read or report no size (`/proc`).

use std::io::Read;
use std::path::Path;

/// The largest file errspec reads: a registry file, a lock, a template or
/// `errspec.toml` (256 MiB; the largest registry measured in BENCHMARKS.md,
/// 100,000 entries, is 30 MiB).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// What a path is when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Directory,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Symlink,
    Other,
}

impl FileKind {
    /// The kind of a non-regular file (`None` for a regular file).
    pub fn of(file_type: std::fs::FileType) -> Option<FileKind> {
        if file_type.is_file() {
            return None;
        }
        if file_type.is_dir() {
            return Some(FileKind::Directory);
        }
        if file_type.is_symlink() {
            return Some(FileKind::Symlink);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if file_type.is_fifo() {
                return Some(FileKind::Fifo);
            }
            if file_type.is_char_device() {
                return Some(FileKind::CharDevice);
            }
            if file_type.is_block_device() {
                return Some(FileKind::BlockDevice);
            }
            if file_type.is_socket() {
                return Some(FileKind::Socket);
            }
        }
        Some(FileKind::Other)
    }

    /// "a FIFO (named pipe)", for messages.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Directory => "a directory",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::CharDevice => "a character device",
            FileKind::BlockDevice => "a block device",
            FileKind::Socket => "a socket",
            FileKind::Symlink => "a symbolic link",
            FileKind::Other => "not a regular file",
        }
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum InputError {
    /// The file could not be inspected or read.
    Io(std::io::Error),
    /// It is something other than a regular file (after following symbolic links).
    NotRegular(FileKind),
    /// It is larger than [`MAX_INPUT_BYTES`].
    TooLarge { len: u64 },
}

impl InputError {
    /// Whether the file does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, InputError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "{e}"),
            InputError::NotRegular(kind) => {
                write!(f, "it is {}, not a regular file", kind.describe())
            }
            InputError::TooLarge { len } => write!(
                f,
                "it is {} MiB, over the limit of {} MiB for a file errspec reads",
                len.div_ceil(1024 * 1024),
                MAX_INPUT_BYTES / (1024 * 1024)
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Reads a regular file (symbolic links followed) of at most [`MAX_INPUT_BYTES`].
pub fn read(path: &Path) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path).map_err(InputError::Io)?;
    if let Some(kind) = FileKind::of(meta.file_type()) {
        return Err(InputError::NotRegular(kind));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { len: meta.len() });
    }
    let file = std::fs::File::open(path).map_err(InputError::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Io)?;
    let len = bytes.len() as u64;
    if len > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { len });
    }
    Ok(bytes)
}

/// [`read`], as UTF-8 text (invalid UTF-8 is an [`InputError::Io`] of kind `InvalidData`).
pub fn read_to_string(path: &Path) -> Result<String, InputError> {
    let bytes = read(path)?;
    String::from_utf8(bytes).map_err(|e| {
        InputError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_and_a_directory_are_refused_before_reading() {
        #[cfg(unix)]
        assert!(matches!(
            read(Path::new("/dev/zero")),
            Err(InputError::NotRegular(FileKind::CharDevice))
        ));
        assert!(matches!(
            read(Path::new(env!("CARGO_MANIFEST_DIR"))),
            Err(InputError::NotRegular(FileKind::Directory))
        ));
    }

    #[test]
    fn a_regular_file_is_read_whole() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let text = read_to_string(&path).expect("the crate's own manifest");
        assert!(text.contains("[package]"));
    }
}
