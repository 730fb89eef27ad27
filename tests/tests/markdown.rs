//! The Markdown pages, read back by a CommonMark + GFM parser (pulldown-cmark)
//! and compared with the registry as `errspec` loads it: the tables, the
//! sections they link to, the intro, and the absence of injected HTML.
//!
//! Three registries: the shipped one, `tests/fixtures/hostile.yaml`, and a
//! markup registry below that puts Markdown and HTML syntax in every text the
//! pages show. Every expectation is derived from the registry as `errspec`
//! loads it, never written here. Plain-text fields (names, messages, titles)
//! must read back exactly; registry Markdown (triggers, descriptions,
//! delivery, fix hints) must read as that Markdown rendered with any raw HTML
//! in it shown as text: [`reader_text`] is that oracle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use errspec::{Category, Entry, Registry, RetryHint, View, ViewEntry};
use errspec_tests::{fixture, load, render, root};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// CommonMark plus the GFM extensions that matter for the pages: tables,
/// strikethrough (the cell escaping neutralises `~` too) and footnotes (a
/// footnote can hold HTML that a reading without them does not see).
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

// ---------------------------------------------------------------------------
// A page as the parser sees it: top-level blocks with their plain text.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Html,
    Heading(u8),
    Paragraph,
    Table,
    Other,
}

#[derive(Debug, Default, Clone)]
struct Cell {
    /// Text and code of the cell, concatenated.
    text: String,
    strong: bool,
    links: Vec<String>,
}

#[derive(Debug, Clone)]
struct Block {
    kind: Kind,
    /// Text and code events; line breaks and nested block ends become spaces.
    text: String,
    /// The text of every code span, in order.
    codes: Vec<String>,
    /// Every `Html` and `InlineHtml` event inside the block.
    html: Vec<String>,
    /// Every link destination inside the block.
    links: Vec<String>,
    /// For tables: the header row, then the body rows.
    rows: Vec<Vec<Cell>>,
}

impl Block {
    fn new(kind: Kind) -> Self {
        Block {
            kind,
            text: String::new(),
            codes: Vec::new(),
            html: Vec::new(),
            links: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// `Some(id)` when the block is exactly an `<a id="id"></a>` anchor paragraph.
    fn anchor(&self) -> Option<&str> {
        if self.kind != Kind::Paragraph || !self.text.trim().is_empty() {
            return None;
        }
        match self.html.as_slice() {
            [open, close] if close == "</a>" => {
                let id = open.strip_prefix("<a id=\"")?.strip_suffix("\">")?;
                let ok = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                ok.then_some(id)
            }
            _ => None,
        }
    }

    fn cells(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(|c| c.text.clone()).collect())
            .collect()
    }
}

fn level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The top-level blocks of a Markdown text.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let mut depth = 0usize;
    let mut cell: Option<Cell> = None;
    for event in Parser::new_ext(markdown, options()) {
        if depth == 0 {
            match &event {
                Event::Start(tag) => {
                    let kind = match tag {
                        Tag::HtmlBlock => Kind::Html,
                        Tag::Heading { level: l, .. } => Kind::Heading(level(*l)),
                        Tag::Paragraph => Kind::Paragraph,
                        Tag::Table(_) => Kind::Table,
                        _ => Kind::Other,
                    };
                    current = Some(Block::new(kind));
                    depth = 1;
                }
                other => {
                    // A thematic break or another leaf event outside any block.
                    let mut b = Block::new(Kind::Other);
                    if let Event::Text(t) | Event::Code(t) = other {
                        b.text.push_str(t);
                    }
                    out.push(b);
                }
            }
            continue;
        }
        let b = current
            .as_mut()
            .unwrap_or_else(|| panic!("an event outside a block: {event:?}"));
        match event {
            Event::Start(tag) => {
                depth += 1;
                match tag {
                    Tag::TableHead | Tag::TableRow => b.rows.push(Vec::new()),
                    Tag::TableCell => cell = Some(Cell::default()),
                    Tag::Strong => {
                        if let Some(c) = cell.as_mut() {
                            c.strong = true;
                        }
                    }
                    Tag::Link { dest_url, .. } => {
                        b.links.push(dest_url.to_string());
                        if let Some(c) = cell.as_mut() {
                            c.links.push(dest_url.to_string());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(tag) => {
                depth -= 1;
                if depth == 0 {
                    out.extend(current.take());
                    continue;
                }
                match tag {
                    TagEnd::TableCell => {
                        let c = cell.take().unwrap_or_default();
                        b.text.push_str(&c.text);
                        b.text.push(' ');
                        if let Some(row) = b.rows.last_mut() {
                            row.push(c);
                        }
                    }
                    TagEnd::Paragraph
                    | TagEnd::Heading(_)
                    | TagEnd::Item
                    | TagEnd::CodeBlock
                    | TagEnd::BlockQuote(_)
                    | TagEnd::TableHead
                    | TagEnd::TableRow => b.text.push(' '),
                    _ => {}
                }
            }
            Event::Code(t) => {
                b.codes.push(t.to_string());
                match cell.as_mut() {
                    Some(c) => c.text.push_str(&t),
                    None => b.text.push_str(&t),
                }
            }
            Event::Text(t) | Event::FootnoteReference(t) => match cell.as_mut() {
                Some(c) => c.text.push_str(&t),
                None => b.text.push_str(&t),
            },
            Event::Html(h) | Event::InlineHtml(h) => b.html.push(h.to_string()),
            Event::SoftBreak | Event::HardBreak | Event::Rule => match cell.as_mut() {
                Some(c) => c.text.push(' '),
                None => b.text.push(' '),
            },
            other => panic!("unexpected event in a page: {other:?}"),
        }
    }
    assert!(current.is_none() && depth == 0, "unbalanced events");
    out
}

/// Markdown cannot show spaces and tabs around a line's text (a cell, a
/// paragraph trims them); other Unicode spaces it keeps.
fn trim_spaces(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// Runs of whitespace become one space; no space at either end.
///
/// `&lt;` reads as `<`: where neutralising a tag moves another `<` into a code
/// span at a line start, the sanitizer keeps that one as `&lt;` (restoring it
/// could open an HTML block), and the code span shows the entity. That is a
/// documented difference of spelling inside code, not of safety: the page
/// tests assert no raw HTML on their own.
fn normalize(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("&lt;", "<")
}

fn joined_text(bs: &[Block]) -> String {
    normalize(
        &bs.iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Registry Markdown as a reader should see it: rendered, with any raw HTML
/// shown as the literal text it is (the `<` of each HTML node is turned into
/// `&lt;` until the parser finds none), then reduced to normalised plain text.
fn reader_text(markdown: &str) -> String {
    // CommonMark's line endings are LF, CR and CRLF alike.
    let mut s = markdown.replace("\r\n", "\n").replace('\r', "\n");
    loop {
        let cut = Parser::new_ext(&s, options())
            .into_offset_iter()
            .find_map(|(event, range)| match event {
                Event::Html(_) | Event::InlineHtml(_) => {
                    s[range.clone()].find('<').map(|i| range.start + i)
                }
                _ => None,
            });
        match cut {
            Some(i) => s.replace_range(i..=i, "&lt;"),
            None => break,
        }
    }
    // A link to anything but the web, mail or a page (`javascript:`) shows
    // as its source: its opening bracket escaped, one at a time.
    let unsafe_link = |dest: &str| {
        let scheme = dest.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        scheme.is_some_and(|s| {
            !s.contains(['/', '?', '#']) && !matches!(s.as_str(), "http" | "https" | "mailto")
        })
    };
    loop {
        let cut = Parser::new_ext(&s, options())
            .into_offset_iter()
            .find_map(|(event, range)| match event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                    if unsafe_link(dest_url.trim_start()) =>
                {
                    Some(range.start + usize::from(s[range.start..].starts_with('!')))
                }
                _ => None,
            });
        match cut {
            Some(i) => s.insert(i, '\\'),
            None => break,
        }
    }
    let bs = blocks(&s);
    assert!(
        bs.iter().all(|b| b.html.is_empty()),
        "oracle left HTML in {s:?}"
    );
    joined_text(&bs)
}

// ---------------------------------------------------------------------------
// Which pages exist and which view each shows.

struct Case {
    label: &'static str,
    registry: Registry,
    /// `markdown/*.md` file name → page text.
    pages: BTreeMap<String, String>,
}

fn case(label: &'static str, path: &Path) -> Case {
    let registry = load(path);
    let pages = render(path)
        .into_iter()
        .filter_map(|(file, text): (PathBuf, String)| {
            let name = file.strip_prefix("markdown").ok()?.to_str()?.to_owned();
            name.ends_with(".md").then_some((name, text))
        })
        .collect();
    Case {
        label,
        registry,
        pages,
    }
}

/// Beyond `tests/fixtures/hostile.yaml`: text aimed at the Markdown page in
/// every place a registry text lands (cells, headings, link texts, sections,
/// Markdown fields), and a name-keyed catalog with categories.
const MARKUP_CATALOG: &str = r###"# Text aimed at the Markdown page: table cells, headings, links, raw HTML, code.
catalog:
  name: cells
  title: "Cells | <b>bold</b> *not* _em_ ~~strike~~ `code` [link](x) &amp; \\ {{x}} #"
  description: |
    A description with <script>alert(1)</script>, `<code>` in a span and an
    unclosed comment <!-- that would hide the tables.

    <div>
    a block of HTML
    </div>
  delivery: |
    Handle the `error` event:

        indented code with <b>tags</b> & `ticks`

    ```html
    <button onclick="retry()">Retry</button>
    ```
  platforms:
    web: { title: "Web | <i>x</i> [y](z)" }
    flutter: { title: "Flutter ~~old~~" }
  categories:
    pipes: { title: "Pipes | and <i>tags</i> #", codes: { from: 0, to: 9 } }
    marks: { title: "*Marks* _and_ `ticks`", codes: { from: 10, to: 99 } }
errors:
  - code: 1
    name: PIPE_IN_CELLS
    message: "a | b || c \\| d |"
    trigger: |
      A table inside a trigger:

      | not | the | index |
      | --- | --- | --- |
      | x | y | z |
    retry: never
  - code: 2
    name: HTML_IN_CELLS
    message: "<script>alert('x')</script> <b>bold</b> &amp; &lt; &#60; <!-- c --> <a id=\"err-1\"></a>"
    trigger: |
      <a id="err-1"></a> forged anchor, <script>x</script>, `<code>` and
      <!-- an unclosed comment

      - a list item with <b>tags</b>
      - and `<i>` in code
    retry: { fix: "Run `a | b` then <b>retry</b> <!-- x" }
    deprecated: "Use `X` | <b>Y</b> instead *now*"
    overrides:
      web: { message: "- starts like a list | <i>web</i>" }
  - code: 10
    name: MARKUP_IN_CELLS
    message: "*em* **strong** _u_ __uu__ ~~s~~ ~t~ `code` ``two`` [l](http://x) ![i](y) <http://auto.link> https://bare.example"
    trigger: "Ends with a backslash \\"
    retry: { after: 2s }
    docs: "https://example.com/a>b<script>alert(1)</script>)(\"x\"|`y`&amp;"
    overrides:
      flutter: { name: MARKUP_FLUTTER, message: "1. starts like an ordered list \\" }
  - code: 11
    name: BLOCK_STARTS
    message: "# starts like a heading #"
    trigger: "> a quote with <b>tags</b>"
    retry: { backoff: { initial: 1s, max: 8s, attempts: 3 } }
    platforms: [web]
  - code: 12
    name: ENTITIES_AND_BRACES
    message: "&nbsp; &copy; {{x}} {{{y}}} {{> partial}} ${x} \\n \\\\ 🎉 @RLM@RTL @ZWSP@zero-width é"
    trigger: "Trailing hashes ## and a lone ` then\n```\nan unclosed fence <b>"
    retry: never
    aliases: [OLD_ENTITIES]
"###;

const NAMES_CATALOG: &str = r###"catalog:
  name: names
  title: Names <i>keyed</i>
  keyed_by: name
  naming: UpperCamelCase
  categories:
    first: { title: "First | group" }
    second: { title: "Second <b>group</b>" }
errors:
  - name: PipeError
    message: "a | b <b>c</b>"
    trigger: "x"
    retry: never
    category: first
  - name: OtherError
    message: "`tick` _u_"
    trigger: "y <i>z</i>"
    retry: never
    category: second
"###;

/// The markup registry, written once under cargo's temporary directory for tests.
fn markup_registry() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("markdown-markup-registry");
        std::fs::create_dir_all(&dir).expect("create the registry directory");
        for (file, text) in [
            ("cells.yaml", MARKUP_CATALOG),
            ("names.yaml", NAMES_CATALOG),
        ] {
            // Invisible characters are spelled out in the source.
            let text = text
                .replace("@ZWSP@", "\u{200b}")
                .replace("@RLM@", "\u{200f}");
            std::fs::write(dir.join(file), text).expect("write the registry");
        }
        dir
    })
    .clone()
}

fn cases() -> Vec<Case> {
    vec![
        case("shipped", &root().join("spec/registry")),
        case("hostile", &fixture("hostile.yaml")),
        case("retired", &fixture("retired.yaml")),
        case("regressions", &fixture("regressions.yaml")),
        case("params", &fixture("params.yaml")),
        case("markup", &markup_registry()),
        // `retry` left out: "Retry: no retry guidance", the registry's sentence.
        case(
            "unspecified",
            &root().join("spec/tests/fixtures/valid/retry_unspecified.yaml"),
        ),
        // `trigger` left out: "When it fires: not documented", nothing invented.
        case(
            "undocumented",
            &root().join("spec/tests/fixtures/valid/trigger_unspecified.yaml"),
        ),
    ]
}

/// `<catalog>.md` is the canonical view; `<catalog>.<platform>.md` that
/// platform's view, only for catalogs with platform differences.
fn expected_pages(registry: &Registry) -> Vec<(String, View<'_>)> {
    let mut out = Vec::new();
    for c in &registry.catalogs {
        out.push((format!("{}.md", c.name.value), c.canonical_view()));
        if c.has_platform_differences() {
            for p in &c.platforms {
                let view = c.view(&p.id.value).expect("declared platform");
                out.push((format!("{}.{}.md", c.name.value, p.id.value), view));
            }
        }
    }
    out
}

/// Each page of a case, parsed, with its view.
fn each_page(case: &Case, mut check: impl FnMut(&str, &str, &[Block], View<'_>)) {
    let expected = expected_pages(&case.registry);
    let names: BTreeSet<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    let actual: BTreeSet<&str> = case.pages.keys().map(String::as_str).collect();
    assert_eq!(actual, names, "{}: the set of markdown pages", case.label);
    for (name, view) in expected {
        let text = &case.pages[&name];
        let file = format!("{}: markdown/{name}", case.label);
        check(&file, text, &blocks(text), view);
    }
}

fn code_keyed(view: View<'_>) -> bool {
    view.catalog.keyed_by == errspec::KeyedBy::Code
}

/// A table row as the registry says it: constant (view name), code, message;
/// name-keyed catalogs have name and message.
fn expected_row(view: View<'_>, e: &ViewEntry<'_>) -> Vec<String> {
    let mut row = vec![e.name.value.clone()];
    if code_keyed(view) {
        let code = e.entry.code.as_ref().expect("code-keyed entry has a code");
        row.push(code.value.to_string());
    }
    row.push(trim_spaces(&shown_message(e)).to_owned());
    row
}

/// The message as a reader sees it: its text, and each parameter as its
/// placeholder (`{device}`, in code style); literal text without parameters.
fn shown_message(e: &ViewEntry<'_>) -> String {
    e.message_parts
        .iter()
        .map(|p| match p {
            errspec::Part::Text(t) => t.clone(),
            errspec::Part::Param { name, .. } => format!("{{{name}}}"),
        })
        .collect()
}

/// The placeholders of a message, in order, adjacent ones together: each run must
/// be one code span.
fn placeholders(e: &ViewEntry<'_>) -> Vec<String> {
    let mut runs: Vec<String> = Vec::new();
    let mut after_param = false;
    for p in e.message_parts {
        match p {
            errspec::Part::Param { name, .. } => {
                match runs.last_mut() {
                    Some(run) if after_param => run.push_str(&format!("{{{name}}}")),
                    _ => runs.push(format!("{{{name}}}")),
                }
                after_param = true;
            }
            errspec::Part::Text(_) => after_param = false,
        }
    }
    runs
}

fn expected_header(view: View<'_>) -> Vec<String> {
    let h: &[&str] = if code_keyed(view) {
        &["Constant", "Code", "Message"]
    } else {
        &["Name", "Message"]
    };
    h.iter().map(|s| (*s).to_owned()).collect()
}

/// The view's entries grouped by category, categories in registry order,
/// entries without a category last.
fn expected_groups<'a>(view: View<'a>) -> Vec<(Option<&'a Category>, Vec<ViewEntry<'a>>)> {
    let c = view.catalog;
    let cat_id = |e: &ViewEntry<'a>| c.category_of(e.entry).map(|k| k.id.value.as_str());
    let mut groups: Vec<_> = c
        .categories
        .iter()
        .map(|cat| {
            let entries: Vec<_> = view
                .entries()
                .filter(|e| cat_id(e) == Some(cat.id.value.as_str()))
                .collect();
            (Some(cat), entries)
        })
        .filter(|(_, es)| !es.is_empty())
        .collect();
    let rest: Vec<_> = view.entries().filter(|e| cat_id(e).is_none()).collect();
    if !rest.is_empty() {
        groups.push((None, rest));
    }
    groups
}

fn heading_text(view: View<'_>) -> String {
    match view.platform {
        Some(p) => format!("{} — {}", view.catalog.title.value, p.title.value),
        None => view.catalog.title.value.clone(),
    }
}

/// The tables of the error index: those under the `Error codes` (or, in
/// name-keyed catalogs, `Error names`) heading, up to the next level-2
/// heading. Tables elsewhere are registry Markdown (a trigger may hold one).
fn index_tables<'b>(file: &str, bs: &'b [Block]) -> Vec<(usize, &'b Block)> {
    let start = bs
        .iter()
        .position(|b| {
            b.kind == Kind::Heading(2) && matches!(b.text.trim(), "Error codes" | "Error names")
        })
        .unwrap_or_else(|| panic!("{file}: no `Error codes` or `Error names` heading"));
    let end = bs[start + 1..]
        .iter()
        .position(|b| matches!(b.kind, Kind::Heading(1 | 2)))
        .map_or(bs.len(), |p| start + 1 + p);
    (start..end)
        .filter(|&i| bs[i].kind == Kind::Table)
        .map(|i| (i, &bs[i]))
        .collect()
}

/// The anchors of a page, id → index of the anchor block.
fn anchors(file: &str, bs: &[Block]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (i, b) in bs.iter().enumerate() {
        if let Some(id) = b.anchor() {
            let dup = out.insert(id.to_owned(), i);
            assert!(dup.is_none(), "{file}: anchor `{id}` is defined twice");
        }
    }
    out
}

/// The blocks of the section that starts at the anchor block `i`: up to the
/// next anchor, the next heading of level 1 or 2, or the end of the page.
fn section(bs: &[Block], i: usize) -> &[Block] {
    let end = bs[i + 1..]
        .iter()
        .position(|b| b.anchor().is_some() || matches!(b.kind, Kind::Heading(1 | 2)))
        .map_or(bs.len(), |p| i + 1 + p);
    &bs[i + 1..end]
}

// ---------------------------------------------------------------------------
// The tests.

#[test]
fn every_table_row_equals_the_registry_view_grouped_by_category() {
    for case in cases() {
        table_rows(&case);
    }
}

fn table_rows(case: &Case) {
    each_page(case, |file, _, bs, view| {
        let tables = index_tables(file, bs);
        let groups = expected_groups(view);
        assert_eq!(
            tables.len(),
            groups.len(),
            "{file}: one table per category with entries in this view"
        );
        let mut all_rows = Vec::new();
        for ((i, table), (category, entries)) in tables.iter().zip(&groups) {
            let cells = table.cells();
            assert_eq!(cells[0], expected_header(view), "{file}: table header");
            let rows = &cells[1..];
            let want: Vec<Vec<String>> = entries.iter().map(|e| expected_row(view, e)).collect();
            assert_eq!(
                rows,
                want,
                "{file}: the rows of category `{}`",
                category.map_or("(none)", |c| c.id.value.as_str())
            );
            for (row, e) in table.rows[1..].iter().zip(entries) {
                let constant = &row[0];
                assert!(
                    constant.strong && constant.links.len() == 1,
                    "{file}: the constant `{}` is bold and links to its section: {constant:?}",
                    e.name.value
                );
            }
            if let Some(cat) = category {
                let heading = bs[..*i]
                    .iter()
                    .rev()
                    .find(|b| matches!(b.kind, Kind::Heading(_)))
                    .unwrap_or_else(|| panic!("{file}: no heading before a table"));
                let mut want = cat.title.value.clone();
                if let Some(r) = &cat.codes {
                    want.push_str(&format!(" ({}–{})", r.value.from, r.value.to));
                }
                assert_eq!(
                    heading.text.trim(),
                    want,
                    "{file}: the heading of category `{}`",
                    cat.id.value
                );
            }
            all_rows.extend(rows.iter().cloned());
        }
        // Grouped by category, each group in registry order: every entry once.
        let mut listed = all_rows.clone();
        let mut want: Vec<Vec<String>> = view.entries().map(|e| expected_row(view, &e)).collect();
        listed.sort();
        want.sort();
        assert_eq!(
            listed, want,
            "{file}: the tables list every entry of the view once"
        );
    });
}

/// `(constant, code)` rows of one platform's seed table, in table order.
fn seed_rows(platform: &str) -> Vec<(String, String)> {
    let path = root().join("spec/tests/fixtures/seed_tables.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| match l.split_whitespace().collect::<Vec<_>>()[..] {
            [p, name, code] => (p == platform).then(|| (name.to_owned(), code.to_owned())),
            _ => panic!("bad seed line {l:?}"),
        })
        .collect()
}

#[test]
fn sdk_platform_pages_list_exactly_the_seed_tables() {
    let case = case("shipped", &root().join("spec/registry"));
    for (platform, page) in [("web", "sdk.web.md"), ("flutter", "sdk.flutter.md")] {
        let text = case
            .pages
            .get(page)
            .unwrap_or_else(|| panic!("markdown/{page} is not generated"));
        let bs = blocks(text);
        let rows: Vec<(String, String)> = index_tables(page, &bs)
            .iter()
            .flat_map(|(_, t)| t.cells().into_iter().skip(1))
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        let seed = seed_rows(platform);
        assert!(seed.len() > 20, "the {platform} seed table is truncated");
        assert_eq!(
            rows, seed,
            "markdown/{page} lists the {platform} seed table's (constant, code) pairs"
        );
    }
}

#[test]
fn pages_have_the_header_title_and_no_html_but_anchors() {
    for case in cases() {
        header_title_and_html(&case);
    }
}

fn header_title_and_html(case: &Case) {
    each_page(case, |file, text, bs, view| {
        assert!(
            text.starts_with("<!-- generated"),
            "{file}: starts with the generated comment"
        );
        let first = &bs[0];
        let comment = first.html.concat();
        assert!(
            first.kind == Kind::Html
                && comment.trim_end().ends_with("-->")
                && comment.contains("do not edit")
                && comment.lines().count() == 1,
            "{file}: the header is one `<!-- generated ... do not edit -->` line: {comment:?}"
        );
        for b in &bs[1..] {
            assert!(
                b.html.is_empty() || b.anchor().is_some(),
                "{file}: raw HTML other than the header and anchors: {:?} in {b:?}",
                b.html
            );
        }
        let h1: Vec<&Block> = bs.iter().filter(|b| b.kind == Kind::Heading(1)).collect();
        assert_eq!(h1.len(), 1, "{file}: one title");
        assert_eq!(
            trim_spaces(&h1[0].text),
            trim_spaces(&heading_text(view)),
            "{file}: the title"
        );
    });
}

#[test]
fn every_link_resolves() {
    for case in cases() {
        links(&case);
    }
}

fn links(case: &Case) {
    let names: BTreeSet<String> = case.pages.keys().cloned().collect();
    each_page(case, |file, _, bs, view| {
        let ids = anchors(file, bs);
        let docs: BTreeSet<&str> = view
            .entries()
            .filter_map(|e| e.entry.docs.as_ref().map(|d| d.value.as_str()))
            .collect();
        // Registry Markdown may link anywhere: a link written in it is the author's.
        let c = view.catalog;
        let mut markdown: Vec<&str> = [&c.description, &c.delivery]
            .into_iter()
            .flatten()
            .map(|t| t.value.as_str())
            .collect();
        markdown.extend(
            c.platforms
                .iter()
                .filter_map(|p| p.delivery.as_ref().map(|d| d.value.as_str())),
        );
        for e in &c.entries {
            markdown.push(e.trigger_text());
            if let RetryHint::AfterFix(fix) = &e.retry.value {
                markdown.push(fix);
            }
        }
        let authored = |link: &str| markdown.iter().any(|t| t.contains(link));
        for b in bs {
            for link in &b.links {
                if let Some(id) = link.strip_prefix('#') {
                    assert!(ids.contains_key(id), "{file}: `{link}` has no anchor");
                } else if !docs.contains(link.as_str()) && !authored(link) {
                    assert!(
                        names.contains(link),
                        "{file}: `{link}` is neither a page nor a link of the registry"
                    );
                }
            }
        }
    });
}

#[test]
fn every_entry_has_a_section_with_its_trigger_and_retry_hint() {
    for case in cases() {
        sections(&case);
    }
}

fn sections(case: &Case) {
    each_page(case, |file, _, bs, view| {
        let ids = anchors(file, bs);
        let entries: Vec<ViewEntry<'_>> = view.entries().collect();
        assert_eq!(ids.len(), entries.len(), "{file}: one anchor per entry");
        // The table link of each entry, by its constant (the table test
        // checks the rows); the sections themselves follow registry order.
        let targets: BTreeMap<String, String> = index_tables(file, bs)
            .iter()
            .flat_map(|(_, t)| {
                t.rows[1..]
                    .iter()
                    .map(|r| (r[0].text.clone(), r[0].links.concat()))
            })
            .collect();
        assert_eq!(targets.len(), entries.len(), "{file}: one row per entry");
        let mut positions = Vec::new();
        for e in &entries {
            let target = targets
                .get(&e.name.value)
                .unwrap_or_else(|| panic!("{file}: no row for `{}`", e.name.value));
            let id = target
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{file}: `{target}` is not an in-page link"));
            let at = *ids
                .get(id)
                .unwrap_or_else(|| panic!("{file}: no anchor `{id}`"));
            positions.push(at);
            check_section(file, section(bs, at), e);
        }
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "{file}: the sections follow registry order"
        );
    });
}

fn check_section(file: &str, s: &[Block], e: &ViewEntry<'_>) {
    let name = &e.name.value;
    let file = format!("{file} § {name}");
    let heading = s.first().unwrap_or_else(|| panic!("{file}: empty section"));
    let mut want = name.clone();
    if let Some(code) = &e.entry.code {
        want.push_str(&format!(" ({})", code.value));
    }
    assert_eq!(
        heading.kind,
        Kind::Heading(3),
        "{file}: starts with a heading"
    );
    assert_eq!(heading.text.trim(), want, "{file}: the heading");

    let para = |label: &str| -> Option<(usize, &Block)> {
        s.iter()
            .enumerate()
            .find(|(_, b)| b.kind == Kind::Paragraph && b.text.starts_with(label))
    };
    let field = |label: &str| -> String {
        let (_, b) = para(label).unwrap_or_else(|| panic!("{file}: no `{label}` paragraph"));
        trim_spaces(&b.text[label.len()..]).to_owned()
    };

    // Plain-text fields, escaped for Markdown: exactly the registry text.
    assert_eq!(
        field("Message: "),
        trim_spaces(&shown_message(e)),
        "{file}: the message"
    );
    let (message_at, message) = para("Message: ").unwrap_or_else(|| panic!("{file}: no message"));
    // Each placeholder is a code span, and nothing else of the message is.
    assert_eq!(
        message.codes,
        placeholders(e),
        "{file}: the placeholders in code style"
    );
    // The parameters: a list after `Parameters:`, each `name` (type): description.
    match para("Parameters:") {
        None => assert!(e.entry.params.is_empty(), "{file}: no parameters listed"),
        Some((at, _)) => {
            assert!(at > message_at, "{file}: the parameters follow the message");
            let list = s
                .get(at + 1)
                .unwrap_or_else(|| panic!("{file}: no parameter list"));
            assert_eq!(list.kind, Kind::Other, "{file}: a list");
            let want: Vec<String> = e
                .entry
                .params
                .iter()
                .map(|p| {
                    format!(
                        "{} ({}): {}",
                        p.name.value,
                        p.ty.value.id(),
                        p.description.value
                    )
                })
                .collect();
            assert_eq!(
                normalize(&list.text),
                normalize(&want.join(" ")),
                "{file}: the parameters"
            );
            let names: Vec<String> = e
                .entry
                .params
                .iter()
                .map(|p| p.name.value.clone())
                .collect();
            assert_eq!(list.codes, names, "{file}: parameter names in code style");
        }
    }
    match &e.entry.deprecated {
        Some(d) => assert_eq!(
            normalize(&field("Deprecated: ")),
            normalize(&d.value),
            "{file}: the deprecation note"
        ),
        None => assert!(para("Deprecated: ").is_none(), "{file}: not deprecated"),
    }
    if name != &e.entry.name.value {
        assert_eq!(
            field("Canonical name: "),
            e.entry.name.value,
            "{file}: the canonical name"
        );
    }
    // Former names: the aliases but the one this page's platform took back as its name.
    let aliases: Vec<&str> = e
        .entry
        .aliases
        .iter()
        .map(|a| a.value.as_str())
        .filter(|a| a != name)
        .collect();
    if !aliases.is_empty() {
        assert_eq!(
            field("Former names, still accepted: "),
            aliases.join(", "),
            "{file}: the aliases"
        );
    }

    // The trigger: its own blocks between the label and the retry hint; a
    // trigger the registry leaves out is "not documented", in the label's paragraph.
    let label = match &e.entry.trigger {
        Some(_) => "When it fires:".to_owned(),
        None => format!("When it fires: {}", Entry::TRIGGER_UNDOCUMENTED),
    };
    let (start, _) = s
        .iter()
        .enumerate()
        .find(|(_, b)| b.text.trim() == label)
        .unwrap_or_else(|| panic!("{file}: no `{label}` paragraph"));
    // The last such paragraph: a trigger paragraph could start with the word too.
    let (retry_at, retry) = s
        .iter()
        .enumerate()
        .rfind(|(_, b)| b.kind == Kind::Paragraph && b.text.starts_with("Retry: "))
        .unwrap_or_else(|| panic!("{file}: no retry hint"));
    assert!(
        start < retry_at,
        "{file}: the trigger comes before the retry hint"
    );
    assert_eq!(
        joined_text(&s[start + 1..retry_at]),
        reader_text(e.entry.trigger_text()),
        "{file}: the trigger"
    );

    // The retry hint: the registry's sentence; a fix is Markdown like a trigger.
    let hint = &e.entry.retry.value;
    let sentence = hint.to_string();
    let want = match hint {
        // The fix is Markdown inside the line: read it there, after a word.
        RetryHint::AfterFix(what) => {
            let prefix = sentence
                .strip_suffix(what.as_str())
                .expect("the fix ends the sentence");
            let inline = reader_text(&format!(
                "x {}",
                what.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
            normalize(&format!("{prefix} {}", &inline[1..]))
        }
        _ => normalize(&sentence),
    };
    assert_eq!(
        normalize(&retry.text["Retry: ".len()..]),
        want,
        "{file}: the retry hint"
    );

    if let Some(docs) = &e.entry.docs {
        assert!(
            s.iter().any(|b| b.links.contains(&docs.value)),
            "{file}: links its docs `{}`",
            docs.value
        );
    }
}

#[test]
fn intro_shows_the_description_and_how_apps_receive_the_errors() {
    for case in cases() {
        intro(&case);
    }
}

fn intro(case: &Case) {
    each_page(case, |file, _, bs, view| {
        let first_table = index_tables(file, bs).first().map_or(bs.len(), |t| t.0);
        let intro = joined_text(&bs[..first_table]);
        let c = view.catalog;
        if let Some(d) = &c.description {
            let want = reader_text(&d.value);
            assert!(
                intro.contains(&want),
                "{file}: the intro shows the description\n  want: {want}\n  page: {intro}"
            );
        }
        let delivery = view
            .platform
            .and_then(|p| p.delivery.as_ref())
            .or(c.delivery.as_ref());
        if let Some(d) = delivery {
            assert!(
                bs[..first_table].iter().any(|b| b.kind == Kind::Heading(2)
                    && b.text.trim() == "How apps receive these errors"),
                "{file}: a section says how apps receive the errors"
            );
            let want = reader_text(&d.value);
            assert!(
                intro.contains(&want),
                "{file}: the intro shows the delivery\n  want: {want}\n  page: {intro}"
            );
        }
    });
}

/// The test's own tools: the reader oracle and the table reader.
#[test]
fn the_oracle_and_the_table_reader_work() {
    assert_eq!(reader_text("<b>x</b> `<i>`"), "<b>x</b> <i>");
    assert_eq!(reader_text("a\n  b\tc   "), "a b c");
    let t = blocks("| A |\n| --- |\n| [**x\\|y**](#z) |\n");
    assert_eq!(t[0].cells(), [vec!["A".to_owned()], vec!["x|y".to_owned()]]);
    assert!(t[0].rows[1][0].strong);
    assert_eq!(t[0].rows[1][0].links, ["#z"]);
}

proptest::proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(32))]

    /// Random valid registries: every page reads back as the registry says.
    #[test]
    fn random_registries_render_pages_that_read_back(catalogs in errspec_tests::arbitrary::registry()) {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("markdown-random");
        errspec_tests::arbitrary::write(&dir, &catalogs);
        let case = case("random", &dir);
        table_rows(&case);
        header_title_and_html(&case);
        links(&case);
        sections(&case);
        intro(&case);
    }
}
