//! The docs say what the code does: README.md's and docs/'s examples run, and their links resolve.
//!
//! Code blocks are found by their info string:
//! - ```` ```yaml registry ````: a catalog file, loaded by the real loader with every built-in
//!   language's rules; it must be valid.
//! - ```` ```yaml invalid PATH ````: a catalog file loaded as if read from PATH; it must be
//!   invalid, and the next block, ```` ```text diagnostics ````, is exactly what errspec prints.
//! - ```` ```console ```` (run in the workspace root) and ```` ```console fresh ```` (in a new empty
//!   directory): each `$ errspec ARGS` line runs the binary (a `  # comment` after it is left
//!   out), which must succeed, and the lines after it, up to the next `$`, are its standard output.
//!
//! - ```` ```toml errspec.toml ````: a project file, read by errspec's own reader.
//! - ```` ```text excerpt PATH ````: lines of the repository's file PATH (`...` and `# ...` stand
//!   for the lines left out), in the file's order.
//!
//! Any other ```` ```yaml ```` block is refused, so no registry example goes unchecked.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use errspec::{LoadOptions, load_str_with};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// README.md and every Markdown file under docs/, relative to the root.
fn doc_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read docs/")
            .map(|e| e.expect("a docs/ entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().expect("a file name").to_owned();
            if path.is_dir() {
                walk(&path, &rel.join(&name), out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(rel.join(&name));
            }
        }
    }
    let mut files = vec![PathBuf::from("README.md")];
    walk(&root().join("docs"), Path::new("docs"), &mut files);
    files
}

fn read(rel: &Path) -> String {
    std::fs::read_to_string(root().join(rel))
        .unwrap_or_else(|e| panic!("read {}: {e}", rel.display()))
}

/// A fenced code block: its info string, text and the line of its opening fence.
struct Block {
    info: String,
    text: String,
    line: usize,
}

/// GitHub's Markdown: CommonMark with tables, strikethrough and task lists.
fn gfm() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new_ext(text, gfm()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Block {
                    info: info.trim().to_owned(),
                    text: String::new(),
                    line: line_of(text, range.start),
                });
            }
            Event::Text(t) => {
                if let Some(b) = &mut open {
                    b.text.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => out.extend(open.take()),
            _ => {}
        }
    }
    out
}

fn load_options() -> LoadOptions {
    LoadOptions {
        languages: codegen::targets::built_in_languages().expect("the built-in rows"),
        ..LoadOptions::default()
    }
}

#[test]
fn every_yaml_example_is_checked_by_the_loader() {
    let mut problems = String::new();
    let mut checked = 0;
    for file in doc_files() {
        let text = read(&file);
        let blocks = blocks(&text);
        for (i, b) in blocks.iter().enumerate() {
            let at = format!("{}:{}", file.display(), b.line);
            let words: Vec<&str> = b.info.split_whitespace().collect();
            match words.as_slice() {
                ["yaml", "registry"] => {
                    checked += 1;
                    if let Err(d) = load_str_with(format!("{at}.yaml"), &b.text, load_options()) {
                        let _ = writeln!(problems, "{at}: this registry example is invalid:\n{d}");
                    }
                }
                ["yaml", "invalid", path] => {
                    checked += 1;
                    let expected = blocks.get(i + 1).filter(|n| n.info == "text diagnostics");
                    match (load_str_with(*path, &b.text, load_options()), expected) {
                        (Ok(_), _) => {
                            let _ = writeln!(problems, "{at}: this invalid example loads cleanly");
                        }
                        (Err(_), None) => {
                            let _ = writeln!(
                                problems,
                                "{at}: an invalid example needs a ```text diagnostics block after it"
                            );
                        }
                        (Err(d), Some(n)) if d.render(false) != n.text => {
                            let _ = writeln!(
                                problems,
                                "{}:{}: the diagnostics shown differ from errspec's:\n{}",
                                file.display(),
                                n.line,
                                d.render(false)
                            );
                        }
                        (Err(_), Some(_)) => {}
                    }
                }
                ["yaml", ..] | ["yml", ..] => {
                    let _ = writeln!(
                        problems,
                        "{at}: a YAML block is ```yaml registry (a whole catalog file) or ```yaml invalid PATH, so that a test loads it"
                    );
                }
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
    assert!(checked >= 6, "only {checked} YAML examples found");
}

#[test]
fn every_project_file_example_is_read_by_errspec() {
    let mut problems = String::new();
    let mut checked = 0;
    for file in doc_files() {
        for b in blocks(&read(&file)) {
            if b.info == "toml errspec.toml" {
                checked += 1;
                if let Err(e) = codegen::config::parse(Path::new("/project/errspec.toml"), &b.text)
                {
                    let _ = writeln!(problems, "{}:{}: {e}", file.display(), b.line);
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
    assert!(checked >= 1, "no errspec.toml example found");
}

#[test]
fn every_excerpt_is_in_its_file() {
    let mut problems = String::new();
    for file in doc_files() {
        for b in blocks(&read(&file)) {
            let Some(path) = b.info.strip_prefix("text excerpt ") else {
                continue;
            };
            let Ok(source) = std::fs::read_to_string(root().join(path)) else {
                let _ = writeln!(problems, "{}:{}: no file {path}", file.display(), b.line);
                continue;
            };
            // In the file's order: each line is looked for after the one before it.
            let mut rest = source.lines();
            for (i, line) in b.text.lines().enumerate() {
                if !matches!(line.trim(), "..." | "# ...") && !rest.any(|l| l == line) {
                    let at = b.line + 1 + i;
                    let _ = writeln!(
                        problems,
                        "{}:{at}: not a line of {path} (after the lines before it): {line}",
                        file.display()
                    );
                    break;
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
}

/// The `errspec` binary.
fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_errspec")
}

/// Runs a console block's commands in `dir`; a problem per command whose output differs.
fn run_console(at: &str, block: &str, dir: &Path, problems: &mut String) {
    let mut commands: Vec<(&str, String)> = Vec::new();
    for line in block.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => {
                let command = command.split_once("  #").map_or(command, |(c, _)| c);
                commands.push((command.trim_end(), String::new()));
            }
            None => match commands.last_mut() {
                Some((_, expected)) => {
                    expected.push_str(line);
                    expected.push('\n');
                }
                None => {
                    let _ = writeln!(problems, "{at}: output before any `$ errspec` line");
                    return;
                }
            },
        }
    }
    for (command, expected) in commands {
        let mut words = command.split_whitespace();
        if words.next() != Some("errspec") {
            let _ = writeln!(problems, "{at}: `{command}` is not an errspec command");
            continue;
        }
        let out = Command::new(binary())
            .args(words)
            .current_dir(dir)
            .output()
            .expect("run errspec");
        let stdout = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || stdout != expected {
            let _ = writeln!(
                problems,
                "{at}: `{command}` exited with {} and printed:\n{stdout}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn every_console_example_prints_what_it_shows() {
    let mut problems = String::new();
    let mut ran = 0;
    for file in doc_files() {
        for b in blocks(&read(&file)) {
            let at = format!("{}:{}", file.display(), b.line);
            match b.info.as_str() {
                "console" => run_console(&at, &b.text, &root(), &mut problems),
                "console fresh" => {
                    let dir = std::env::temp_dir()
                        .join(format!("errspec-docs-{}-{ran}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&dir);
                    std::fs::create_dir_all(&dir).expect("create a temp dir");
                    run_console(&at, &b.text, &dir, &mut problems);
                    let _ = std::fs::remove_dir_all(&dir);
                }
                info if info.starts_with("console") => {
                    let _ = writeln!(problems, "{at}: unknown console block `{info}`");
                }
                _ => continue,
            }
            ran += 1;
        }
    }
    assert!(problems.is_empty(), "{problems}");
    assert!(ran >= 2, "only {ran} console examples found");
}

/// GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (a repeated heading's get `-1`, `-2`, ...).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(text, gfm()) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let base = slug(&heading.take().unwrap_or_default());
                let mut anchor = base.clone();
                let mut n = 0;
                while out.contains(&anchor) {
                    n += 1;
                    anchor = format!("{base}-{n}");
                }
                out.insert(anchor);
            }
            _ => {}
        }
    }
    out
}

/// `a/../b` as `b`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

fn links(text: &str) -> Vec<(String, usize)> {
    Parser::new_ext(text, gfm())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((dest_url.to_string(), line_of(text, range.start)))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_relative_link_resolves_to_a_file_and_anchor() {
    let mut problems = String::new();
    for file in doc_files() {
        let text = read(&file);
        for (dest, line) in links(&text) {
            if dest.contains("://") || dest.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = dest.split_once('#').unwrap_or((&dest, ""));
            let target = if path.is_empty() {
                file.clone()
            } else {
                normalize(&file.parent().unwrap_or(Path::new("")).join(path))
            };
            let at = format!("{}:{line}: `{dest}`", file.display());
            if !root().join(&target).exists() {
                let _ = writeln!(problems, "{at}: no file {}", target.display());
                continue;
            }
            if anchor.is_empty() {
                continue;
            }
            if target.extension().is_none_or(|e| e != "md") {
                let _ = writeln!(problems, "{at}: an anchor in a file that is not Markdown");
            } else if !anchors(&read(&target)).contains(anchor) {
                let _ = writeln!(
                    problems,
                    "{at}: no heading `#{anchor}` in {}",
                    target.display()
                );
            }
        }
    }
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn slugs_are_githubs() {
    assert_eq!(slug("A target's folder"), "a-targets-folder");
    assert_eq!(slug("errspec.toml"), "errspectoml");
    assert_eq!(slug("The `--templates` folder"), "the---templates-folder");
    assert_eq!(slug("errspec explain"), "errspec-explain");
}
