//! Reading a registry: one catalog file, or a directory of them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Rule};
use crate::lang::{self, CatalogIdent, Languages};
use crate::lock::Lock;
use crate::model::{Catalog, KeyedBy, LockFile, Registry, Spanned};
use crate::source::{FileId, SourceMap, Span};
use crate::{check, parse, yaml};

/// Loads and validates a registry: a `.yaml`/`.yml` file, or a directory whose
/// `.yaml`/`.yml` files (not recursive, hidden files skipped) are its catalogs.
///
/// Returns every problem of every file at once, or a registry with none.
pub fn load(path: impl AsRef<Path>) -> Result<Registry, Diagnostics> {
    load_relative(Path::new(""), path)
}

/// Like [`load`] for `base.join(path)`, but diagnostics show paths as `path`
/// spells them: the proc-macro resolves against the calling crate's
/// directory and reports the path its user wrote.
pub fn load_relative(base: &Path, path: impl AsRef<Path>) -> Result<Registry, Diagnostics> {
    load_with(base, path, LoadOptions::default())
}

/// How to load a registry.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Check each catalog against its lock (on by default). Off only to
    /// accept breaking changes on purpose: the registry must still be valid.
    pub check_locks: bool,
    /// The languages whose rules names must meet (keywords, identifiers, file
    /// names): those of the targets that will render the registry. By default
    /// none: this crate ships no language row (codegen passes its targets' rows,
    /// `catalog!` Rust's).
    pub languages: Languages,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            check_locks: true,
            languages: Languages::default(),
        }
    }
}

/// [`load_relative`] with options.
pub fn load_with(
    base: &Path,
    path: impl AsRef<Path>,
    options: LoadOptions,
) -> Result<Registry, Diagnostics> {
    let path = path.as_ref();
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let files = match catalog_files(base, path) {
        Ok(files) => files,
        Err(d) => return Err(Diagnostics::sorted(sources, vec![*d])),
    };
    let mut catalogs = Vec::with_capacity(files.len());
    let mut clean = Vec::with_capacity(files.len());
    for file in files {
        let before = diags.len();
        if let Some(catalog) = load_file(base, &file, &options.languages, &mut sources, &mut diags)
        {
            clean.push(diags.len() == before);
            catalogs.push(catalog);
        }
    }
    duplicate_catalogs(&catalogs, &mut diags);
    catalog_identifier_collisions(&catalogs, &options.languages, &mut diags);
    let lock_dir = if base.join(path).is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut locks = Vec::with_capacity(catalogs.len());
    for (catalog, clean) in catalogs.iter().zip(clean) {
        let check = clean && options.check_locks;
        if check && !base.join(path).is_dir() {
            renamed_single_file_catalog(base, path, catalog, &mut sources, &mut diags);
        }
        locks.push(load_lock(
            base,
            &lock_dir,
            catalog,
            check,
            &mut sources,
            &mut diags,
        ));
    }
    // A file that did not parse defines no catalog: its lock is not "vanished".
    if options.check_locks && diags.is_empty() && base.join(path).is_dir() {
        vanished_catalogs(base, path, &catalogs, &mut sources, &mut diags);
    }
    if diags.is_empty() {
        Ok(Registry {
            sources,
            catalogs,
            locks,
        })
    } else {
        Err(Diagnostics::sorted(sources, diags))
    }
}

/// Reads one file's YAML into errspec's spanned tree and stops there: no
/// model, no rules. The floor of [`load`] (for benchmarks, and tools that
/// want syntax errors only). Returns how many YAML nodes the file holds.
pub fn parse_yaml(path: impl Into<PathBuf>, text: &str) -> Result<usize, Diagnostics> {
    let mut sources = SourceMap::new();
    let id = sources.add(path, text.to_owned());
    match yaml::parse(sources.file(id), id) {
        Ok(root) => Ok(root.count()),
        Err(d) => Err(Diagnostics::sorted(sources, vec![*d])),
    }
}

/// Loads one catalog from text, as if read from `path` (for tests and tools that hold the text).
pub fn load_str(path: impl Into<PathBuf>, text: &str) -> Result<Registry, Diagnostics> {
    load_str_with(path, text, LoadOptions::default())
}

/// [`load_str`] with options (the languages; a text has no lock to check).
pub fn load_str_with(
    path: impl Into<PathBuf>,
    text: &str,
    options: LoadOptions,
) -> Result<Registry, Diagnostics> {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    let id = sources.add(path, text.to_owned());
    let catalog = parse_file(id, &options.languages, &sources, &mut diags);
    match catalog {
        Some(c) if diags.is_empty() => Ok(Registry {
            sources,
            catalogs: vec![c],
            locks: Vec::new(),
        }),
        _ => Err(Diagnostics::sorted(sources, diags)),
    }
}

/// The catalog files of a registry, as paths relative to `base`.
fn catalog_files(base: &Path, path: &Path) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let full = base.join(path);
    let io_error = |e: std::io::Error, what: &str| {
        let mut d = Diagnostic::new(
            Rule::Io,
            format!("cannot read {what} `{}`: {e}", path.display()),
        )
        .at_path(path)
        .help("pass the path of a catalog `.yaml` file or of a directory of them");
        if full.is_absolute() {
            if full != path {
                d = d.note(format!("looked for {}", full.display()));
            }
        } else if let Ok(cwd) = std::env::current_dir() {
            d = d.note(format!("looked for {}", cwd.join(&full).display()));
        }
        Box::new(d)
    };
    let meta = std::fs::metadata(&full).map_err(|e| io_error(e, "the registry"))?;
    if !meta.is_dir() {
        // A FIFO or a device would hang or never end: refused before it is opened.
        if let Some(kind) = crate::input::FileKind::of(meta.file_type()) {
            return Err(Box::new(
                Diagnostic::new(
                    Rule::Io,
                    format!(
                        "cannot read the registry `{}`: it is {}",
                        path.display(),
                        kind.describe()
                    ),
                )
                .at_path(path)
                .help("pass the path of a catalog `.yaml` file or of a directory of them"),
            ));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for item in std::fs::read_dir(&full).map_err(|e| io_error(e, "the registry directory"))? {
        let item = item.map_err(|e| io_error(e, "the registry directory"))?;
        let p = path.join(item.file_name());
        let name = item.file_name();
        let name = name.to_string_lossy();
        let is_yaml = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if !is_yaml || name.starts_with('.') {
            continue;
        }
        // A `.yaml` FIFO or device is reported by `load_file`, never opened.
        if !item.path().is_dir() {
            files.push(p);
        }
    }
    if files.is_empty() {
        return Err(Box::new(
            Diagnostic::new(
                Rule::NoCatalogs,
                format!("the registry directory `{}` has no catalog", path.display()),
            )
            .at_path(path)
            .help("add a `<catalog>.yaml` file to it; each file is one catalog"),
        ));
    }
    // Directory order is the file system's; sort for deterministic output.
    files.sort();
    Ok(files)
}

fn load_file(
    base: &Path,
    path: &Path,
    languages: &Languages,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Catalog> {
    let bytes = match crate::input::read(&base.join(path)) {
        Ok(b) => b,
        Err(e) => {
            let help = match e {
                crate::input::InputError::Io(_) => "check that the file exists and is readable",
                _ => "a catalog must be a regular `.yaml` file; move this one out of the registry",
            };
            diags.push(
                Diagnostic::new(Rule::Io, format!("cannot read `{}`: {e}", path.display()))
                    .at_path(path)
                    .help(help),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            // A UTF-8 byte-order mark is not part of the document; positions count from after it.
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            let id = sources.add(path, text);
            parse_file(id, languages, sources, diags)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let id = sources.add(path, text);
            diags.push(
                Diagnostic::new(
                    Rule::NotUtf8,
                    format!("`{}` is not UTF-8 text", path.display()),
                )
                .primary(
                    Span {
                        file: id,
                        start: at,
                        end: at,
                    },
                    "first byte that is not UTF-8",
                )
                .help("save the file as UTF-8 (YAML registries are always UTF-8)"),
            );
            None
        }
    }
}

fn parse_file(
    id: FileId,
    languages: &Languages,
    sources: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Catalog> {
    let file = sources.file(id);
    let empty = |span: Span, label: &str| {
        Diagnostic::new(
            Rule::EmptyFile,
            format!("`{}` holds no catalog", file.path().display()),
        )
        .primary(span, label)
        .help("write a `catalog:` header and an `errors:` list, or delete the file")
    };
    if file.text().trim().is_empty() {
        diags.push(empty(
            Span {
                file: id,
                start: 0,
                end: 0,
            },
            "the file is empty",
        ));
        return None;
    }
    // Each entry becomes the model as soon as it is read: the YAML of the
    // whole `errors` list is never alive at once (BENCHMARKS.md at `ccbf661`, section 19).
    let mut streamed = parse::Streamed::default();
    let root = yaml::parse_streaming(file, id, "errors", |node| {
        streamed.push(&node, file.text());
    });
    let (root, streamed) = match root {
        Ok((root, true)) => (root, Some(streamed)),
        Ok((root, false)) => (root, None),
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    if matches!(root.value, yaml::Value::Null) {
        diags.push(empty(
            Span {
                file: id,
                start: 0,
                end: 0,
            },
            "only comments or an empty document",
        ));
        return None;
    }
    let parsed = parse::catalog(&root, id, file.text(), streamed, diags)?;
    // Shape problems are reported; the semantic rules run over what did parse, in the same run.
    check::catalog(&parsed.catalog, parsed.health, languages, diags);
    Some(parsed.catalog)
}

fn duplicate_catalogs(catalogs: &[Catalog], diags: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for c in catalogs {
        if let Some(first) = seen.get(c.name.value.as_str()) {
            diags.push(
                Diagnostic::new(Rule::DuplicateCatalog, format!("two files define the catalog `{}`", c.name.value))
                    .primary(c.name.span, "defined again here")
                    .secondary(first.span, "first defined here")
                    .help("catalog names name the generated files and types; rename one catalog or merge the files"),
            );
        } else {
            seen.insert(&c.name.value, &c.name);
        }
    }
}

/// Two catalogs with different names that become the same identifier in a
/// target language ([`lang::catalog_idents`]): one diagnostic per pair,
/// naming every identifier they share. The identifiers of one language share
/// one namespace, so `x`'s Kotlin retry type `XRetry` clashes with the enum
/// class of a catalog `x_retry` too. Equal names are `duplicate-catalog`.
fn catalog_identifier_collisions(
    catalogs: &[Catalog],
    languages: &Languages,
    diags: &mut Vec<Diagnostic>,
) {
    /// One identifier both catalogs' generated code would declare: the rule
    /// that gives it to the first catalog, the one that gives it to the second.
    struct Shared<'a> {
        first: CatalogIdent<'a>,
        second: CatalogIdent<'a>,
        id: String,
    }
    // (first, second) by position → the identifiers both become, in table order.
    let mut clashes: BTreeMap<(usize, usize), Vec<Shared>> = BTreeMap::new();
    let mut rows = lang::catalog_idents(languages).peekable();
    while let Some(row) = rows.next() {
        // This language's rules: they declare into one namespace.
        let mut language = vec![row];
        while let Some(next) = rows.next_if(|r| r.language == row.language) {
            language.push(next);
        }
        let mut seen: HashMap<String, (usize, CatalogIdent<'_>)> = HashMap::new();
        for rule in language {
            for (i, c) in catalogs.iter().enumerate() {
                let id = rule.ident(&c.name.value);
                match seen.get(&id) {
                    Some(&(first, by)) if catalogs[first].name.value != c.name.value => {
                        let pair = (first.min(i), first.max(i));
                        let (a, b) = if first < i { (by, rule) } else { (rule, by) };
                        clashes.entry(pair).or_default().push(Shared {
                            first: a,
                            second: b,
                            id,
                        });
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(id, (i, rule));
                    }
                }
            }
        }
    }
    for ((first, second), shared) in clashes {
        let (Some(first), Some(second), Some(one)) =
            (catalogs.get(first), catalogs.get(second), shared.first())
        else {
            continue;
        };
        let id = &one.id;
        let message = if one.first.what == one.second.what {
            format!(
                "the catalogs `{}` and `{}` both become `{id}` in {}",
                first.name.value, second.name.value, one.first.language
            )
        } else {
            format!(
                "the {language} {} of catalog `{}` and the {language} {} of catalog `{}` are both `{id}`",
                one.first.what,
                first.name.value,
                one.second.what,
                second.name.value,
                language = one.first.language
            )
        };
        let (primary, secondary) = if one.first.what == one.second.what {
            (format!("becomes `{id}`"), format!("also becomes `{id}`"))
        } else {
            (
                format!("its {} {} is `{id}`", one.second.language, one.second.what),
                format!("its {} {} is `{id}`", one.first.language, one.first.what),
            )
        };
        let mut d = Diagnostic::new(Rule::CatalogIdentifierCollision, message)
            .primary(second.name.span, primary)
            .secondary(first.name.span, secondary);
        if shared.len() > 1 {
            let each: Vec<String> = shared
                .iter()
                .map(|s| {
                    if s.first.what == s.second.what {
                        format!("the {} {} `{}`", s.first.language, s.first.what, s.id)
                    } else {
                        format!(
                            "`{}` ({}: the {} of `{}`, the {} of `{}`)",
                            s.id,
                            s.first.language,
                            s.first.what,
                            first.name.value,
                            s.second.what,
                            second.name.value
                        )
                    }
                })
                .collect();
            d = d.note(format!("both would name {}", join_and(&each)));
        }
        diags.push(d.help(
            "rename one catalog so that neither name is the other plus a suffix or an underscore: generated types and exports are named after the catalog",
        ));
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_and(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Reads `<catalog>.lock` beside the registry, if there is one, and checks the
/// catalog against it (only a catalog without other problems: the evolution
/// rules need a sound model).
fn load_lock(
    base: &Path,
    dir: &Path,
    catalog: &Catalog,
    clean: bool,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> LockFile {
    let path = dir.join(format!("{}.lock", catalog.name.value));
    let full_path = base.join(&path);
    let mut file = LockFile {
        catalog: catalog.name.value.clone(),
        path: path.clone(),
        full_path: full_path.clone(),
        lock: None,
    };
    // A name too long for a file (reported by `check::file_names`) has no lock to read.
    if path
        .file_name()
        .is_some_and(|n| n.len() > lang::MAX_FILE_NAME)
    {
        return file;
    }
    let text = match crate::input::read_to_string(&full_path) {
        Ok(text) => text,
        Err(e) if e.is_not_found() => return file,
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Rule::Io,
                    format!("cannot read the lock `{}`: {e}", path.display()),
                )
                .at_path(&path)
                .help("the lock must be a readable regular file of UTF-8 text; restore it from version control"),
            );
            return file;
        }
    };
    let id = sources.add(&path, text);
    match Lock::parse(sources.file(id), id) {
        Err(mut d) => diags.append(&mut d),
        Ok(lock) => {
            let whole = Span {
                file: id,
                start: 0,
                end: 0,
            };
            if lock.catalog != catalog.name.value || lock.keyed_by != catalog.keyed_by {
                let keyed = |k: KeyedBy| if k == KeyedBy::Code { "code" } else { "name" };
                diags.push(
                    Diagnostic::new(
                        Rule::InvalidLock,
                        format!(
                            "the lock is for catalog `{}` keyed by {}, but the catalog is `{}` keyed by {}",
                            lock.catalog,
                            keyed(lock.keyed_by),
                            catalog.name.value,
                            keyed(catalog.keyed_by)
                        ),
                    )
                    .primary(whole, "lock header")
                    .secondary(catalog.name.span, "the catalog")
                    .help("renaming a catalog or changing `keyed_by` breaks every app: revert it, or delete the lock on purpose and say why in the commit"),
                );
            } else if clean {
                diags.extend(crate::lock::check(catalog, &lock));
            }
            file.lock = Some(lock);
        }
    }
    file
}

/// In a one-file registry, a lock named after the file but for another
/// catalog: the catalog was renamed, which would otherwise start a new lock.
fn renamed_single_file_catalog(
    base: &Path,
    path: &Path,
    catalog: &Catalog,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return;
    };
    let own = path.with_file_name(format!("{}.lock", catalog.name.value));
    if stem == catalog.name.value || base.join(own).exists() {
        return;
    }
    let lock_path = path.with_file_name(format!("{stem}.lock"));
    let Ok(text) = crate::input::read_to_string(&base.join(&lock_path)) else {
        return;
    };
    let id = sources.add(&lock_path, text);
    if let Ok(lock) = Lock::parse(sources.file(id), id)
        && lock.catalog != catalog.name.value
    {
        diags.push(
            Diagnostic::new(
                Rule::LockedCatalogRemoved,
                format!(
                    "the published catalog `{}` was renamed to `{}`",
                    lock.catalog, catalog.name.value
                ),
            )
            .primary(catalog.name.span, "renamed here")
            .secondary(
                Span { file: id, start: 0, end: 0 },
                format!("the lock of `{}`", lock.catalog),
            )
            .help("generated types and files are named after the catalog, so apps break: keep the published name"),
        );
    }
}

/// Locks in a directory registry whose catalog no file defines any more.
fn vanished_catalogs(
    base: &Path,
    dir: &Path,
    catalogs: &[Catalog],
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) {
    let Ok(entries) = std::fs::read_dir(base.join(dir)) else {
        return;
    };
    let mut gone: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| dir.join(e.file_name()))
        .filter(|p| p.extension().is_some_and(|e| e == "lock"))
        .filter(|p| {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            !catalogs.iter().any(|c| c.name.value == stem)
        })
        .collect();
    gone.sort();
    for path in gone {
        let text = crate::input::read_to_string(&base.join(&path)).unwrap_or_default();
        // Point at the `lock` header line, past the comments.
        let header = text.find("\nlock ").map_or(0, |i| i + 1);
        let header_end = text[header..].find('\n').map_or(text.len(), |i| header + i);
        let id = sources.add(&path, text);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        diags.push(
            Diagnostic::new(Rule::LockedCatalogRemoved, format!("the published catalog `{stem}` is gone"))
                .primary(
                    Span {
                        file: id,
                        start: header,
                        end: header_end,
                    },
                    "its lock is still here",
                )
                .help("restore the catalog's file; to drop a catalog on purpose, retire its codes first, then delete the lock and say why in the commit"),
        );
    }
}
