//! Registry Markdown never yields a link to anything but the web, mail or a
//! relative place: no `javascript:`, `data:`, `vbscript:` or `file:` link or
//! image, written directly, by reference, as an autolink, percent- or
//! entity-encoded, or revealed by an escape or by HTML turned into text; in
//! the docs pages (read by pulldown-cmark) and in the Rust crate's rustdoc
//! (its doc texts read by pulldown-cmark with rustdoc's options, and the
//! pages rustdoc itself writes).

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Hostile Markdown, each one a link that must not stay live.
const PAYLOADS: &[&str] = &[
    "[a](javascript:alert(1))",
    "[a](javascript:alert%281%29)",
    "[a](<javascript:alert(1)>)",
    "[a](javascript:alert(1) \"t\")",
    "[r]: javascript:alert(1)\n\nSee [r] and [x][r] and [r][].",
    "See [x][r].\n\n[r]: javascript:alert(1)",
    "See [x][r].\n\n[r]: <javascript:alert(1)> \"t\"",
    "<data:text/html,<script>alert(1)</script>>",
    "<data:text/html,abc>",
    "x <JAVASCRIPT:alert(1)> y",
    "[a](java%73cript:x) [b](%6Aavascript:x) [c](javascript%3Ax)",
    "[a](javascript&#58;x) [b](&#106;avascript:x) [c](javas&#x63;ript:x)",
    "[a](java&#9;script:x) [b](&#32;javascript:x) [c](java%09script:x)",
    "[a](JaVaScRiPt:x) [b](vbscript:x) [c](file:///etc/passwd)",
    "![i](data:image/svg+xml,x) ![j](javascript:x)",
    "[[[a](javascript:x)](javascript:y)](javascript:z)",
    "<a href=\"x\">\n[a](javascript:x)\n</a>",
    "<div>\n\n[a](javascript:x)\n\n</div>",
    "x](javascript:alert(1)) [y",
    "[^n]: [a](javascript:x)\n\nSee[^n].",
    "| h |\n|---|\n| [a](javascript:x) |",
    "> [a](javascript:x)\n\n- [b](javascript:y)\n\n1. <data:x,y>",
    "# [a](javascript:x)\n\nT [b](javascript:y)\n===",
    "**[a](javascript:x)** _[b](javascript:y)_",
    "\\\\[a](javascript:x) \\[b](javascript:y)",
    "`x` [a](javascript:x) ` [b](javascript:y)",
    "[a]\n\n[a]: javascript:x",
    "[a](%25%36%41avascript:x)",
    "[a](<java\\\nscript:x>) [b](javascript\\:x)",
    "[a](javascript:x)[b](javascript:y)<javascript:z>",
];

/// Safe: `http`, `https`, `mailto`, or no scheme, once percent- and
/// entity-decoded (the parser decodes entities) and with what a browser
/// ignores (controls, spaces) removed.
fn safe(url: &str) -> bool {
    let mut url = url.to_owned();
    // Percent-decoding until it changes nothing (`%25` hides a `%`).
    for _ in 0..8 {
        let decoded = percent_decode(&url);
        if decoded == url {
            break;
        }
        url = decoded;
    }
    let url: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    // A scheme is a letter, then letters, digits, `+`, `-`, `.`, up to the
    // first `:`; anything else there makes the URL relative.
    let Some((scheme, _)) = url.split_once(':') else {
        return true;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    !is_scheme || matches!(scheme, "http" | "https" | "mailto")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The option sets of the readers: the pages' hosts (with and without
/// footnotes) and rustdoc.
fn readers() -> [Options; 3] {
    let pages = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    [
        pages,
        pages | Options::ENABLE_FOOTNOTES,
        pages
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_SMART_PUNCTUATION,
    ]
}

/// Every link or image destination of `markdown` that is not safe.
fn unsafe_links(markdown: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for options in readers() {
        for event in Parser::new_ext(markdown, options) {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event
                && !safe(&dest_url)
            {
                bad.push(dest_url.into_string());
            }
        }
    }
    bad
}

#[test]
fn the_checker_sees_every_payload_as_a_live_link() {
    for payload in PAYLOADS {
        // Each payload, left as it is, would be a live link (or none at all,
        // for a few that only break out of a template's link text).
        // (`<script>` turned into text reveals the `data:` autolink around it.)
        let wrapped = format!("[{payload}](x.md)");
        let revealed = payload.replace("<s", "&lt;s");
        let bad = unsafe_links(payload).len()
            + unsafe_links(&wrapped).len()
            + unsafe_links(&revealed).len();
        assert!(
            bad > 0,
            "{payload:?} is no live link: the test proves nothing"
        );
    }
    assert!(safe("https://a.example/x:y") && safe("d/e:f") && safe("#a") && safe("mailto:a@b"));
    assert!(!safe("java%73cript:x") && !safe(" javascript:x") && !safe("java\tscript:x"));
}

#[test]
fn the_sanitiser_leaves_no_live_link_of_another_scheme() {
    for payload in PAYLOADS {
        let md = errspec::markdown::block(payload);
        assert_eq!(
            unsafe_links(&md),
            Vec::<String>::new(),
            "block({payload:?}) = {md:?}"
        );
        for (name, md) in [
            ("inline", errspec::markdown::inline(payload)),
            ("note", errspec::markdown::note(payload)),
        ] {
            // Alone, after a label, and inside a link's text as the templates put it.
            for page in [
                md.clone(),
                format!("**Fix:** {md}"),
                format!("[{md}](x.md)"),
            ] {
                assert_eq!(
                    unsafe_links(&page),
                    Vec::<String>::new(),
                    "{name}({payload:?}) in {page:?}"
                );
            }
        }
    }
}

/// Where the templates and rustdoc put a one-line text `md`: alone (at a
/// line's start), after a label, inside a template's link, and twice in one
/// paragraph (a backtick run left open in the first would pair with the second).
fn in_line_places(md: &str) -> [String; 4] {
    [
        md.to_owned(),
        format!("**Fix:** {md}"),
        format!("[{md}](x.md)"),
        format!("[{md}](x.md) {md}"),
    ]
}

/// The property test's find (`["```\n", "](", "javascript:", ")"]`): a text
/// that starts with a fence, made one line. At a line's start, where the note
/// was made safe, the fence makes the rest its info string, code where no
/// bracket needs escaping; inside a template's link the fence is a loose
/// backtick run and `](javascript:)` closes that link. With its neighbours:
/// runs of other lengths, tildes, the link whole or only its end, and a run
/// that opens no code span until a second copy follows.
#[test]
fn a_fence_made_one_line_is_read_inside_a_line_too() {
    let cases = [
        "```\n](javascript:)",
        "`\n](javascript:)",
        "``\n](javascript:x)",
        "````\n](javascript:x)",
        "``` ](javascript:x)",
        "```rust\n](javascript:x)",
        "~~~\n](javascript:x)",
        "~~~~ ](javascript:x)",
        "```\n[a](javascript:x)",
        "~~~\n[a](javascript:x)",
        "```\n](<javascript:x>)",
        "```\n](java%73cript:x)",
        "```\n![i](data:x)",
        "```\n<javascript:x>",
        "```\n[a]: javascript:x",
        "``` x ``` ](javascript:y)",
        "`x` `[a](javascript:y)` `",
        "``x`` ``[a](javascript:y)`` ``",
        "<a title='`'> `[a](javascript:y)`",
    ];
    for text in cases {
        let md = errspec::markdown::block(text);
        assert_eq!(
            unsafe_links(&md),
            Vec::<String>::new(),
            "block({text:?}) = {md:?}"
        );
        for (name, md) in [
            ("inline", errspec::markdown::inline(text)),
            ("note", errspec::markdown::note(text)),
        ] {
            for page in in_line_places(&md) {
                assert_eq!(
                    unsafe_links(&page),
                    Vec::<String>::new(),
                    "{name}({text:?}) in {page:?}"
                );
            }
        }
    }
    // The shrunk case itself: the note keeps its text, with the run escaped.
    assert_eq!(
        errspec::markdown::note("```\n](javascript:)"),
        r"\`\`\` \](javascript:)"
    );
}

/// `link` takes any text from a template: one of another scheme is text.
#[test]
fn a_link_of_another_scheme_is_text() {
    for url in [
        "javascript:alert(1)",
        "JavaScript:x",
        "java%73cript:x",
        "data:text/html,x",
        " javascript:x",
        "javascript:x\n\ny",
    ] {
        let md = errspec::markdown::link(url);
        for page in in_line_places(&md) {
            assert_eq!(
                unsafe_links(&page),
                Vec::<String>::new(),
                "link({url:?}) in {page:?}"
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(errspec_tests::arbitrary::config(256))]

    /// Random mixes of link syntax, schemes, encodings, HTML and containers.
    #[test]
    fn random_link_syntax_yields_no_live_link_of_another_scheme(
        parts in proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..24)
    ) {
        let text = parts.concat();
        let block = errspec::markdown::block(&text);
        proptest::prop_assert!(unsafe_links(&block).is_empty(), "block({:?}) = {:?}", text, block);
        for md in [errspec::markdown::inline(&text), errspec::markdown::note(&text)] {
            for page in in_line_places(&md) {
                proptest::prop_assert!(unsafe_links(&page).is_empty(), "{:?} gave {:?}", text, page);
            }
        }
        let link = errspec::markdown::link(&text);
        proptest::prop_assert!(unsafe_links(&link).is_empty(), "link({:?}) = {:?}", text, link);
    }
}

const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "![",
    "](",
    "]:",
    "]: ",
    "[^",
    "\\",
    "`",
    "``",
    "\n",
    "\n\n",
    " ",
    "javascript:",
    "JavaScript:",
    "data:",
    "java%73cript:",
    "&#58;",
    "&#106;",
    "%3A",
    "%25",
    "http://x",
    "x",
    "a",
    "\"t\"",
    "> ",
    "- ",
    "# ",
    "<div>\n",
    "<b>",
    "</a>",
    "|",
    "\n---\n",
    "```\n",
    "~~~\n",
    "*",
    "_",
    "&amp;",
    "@",
    "mailto:",
    "\t",
];

/// A registry with every payload in every Markdown text a page or rustdoc shows.
fn registry(dir: &Path) -> PathBuf {
    let q = |s: &str| serde_json::to_string(s).expect("a JSON string is a YAML one");
    let line = |s: &str| q(&s.replace('\n', " "));
    let all = PAYLOADS.join("\n\n");
    let mut yaml = format!(
        "catalog:\n  name: links\n  title: {}\n  description: {}\n  platforms:\n    web: {{ title: {}, delivery: {} }}\n  categories:\n    all: {{ title: {}, codes: {{ from: 1, to: 1000 }} }}\nerrors:\n",
        line(PAYLOADS[18]),
        q(&all),
        line(PAYLOADS[18]),
        q(&all),
        line(PAYLOADS[0]),
    );
    for (i, payload) in PAYLOADS.iter().enumerate() {
        yaml.push_str(&format!(
            "  - code: {}\n    name: E{i}\n    message: \"m {{p}}\"\n    trigger: {}\n    retry: {{ fix: {} }}\n    deprecated: {}\n    params:\n      p: {{ type: string, description: {} }}\n",
            i + 1,
            q(payload),
            line(payload),
            line(payload),
            line(payload),
        ));
    }
    std::fs::create_dir_all(dir).expect("temp dir");
    let file = dir.join("links.yaml");
    std::fs::write(&file, yaml).expect("write registry");
    file
}

#[test]
fn pages_and_doc_texts_have_no_live_link_of_another_scheme() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("links-pages");
    let files = errspec_tests::render(&registry(&dir));
    let mut checked = 0;
    for (path, text) in &files {
        let texts = match path.extension().and_then(|e| e.to_str()) {
            Some("md") => vec![text.clone()],
            Some("rs") => doc_texts(text),
            _ => continue,
        };
        for md in texts {
            checked += 1;
            let bad = unsafe_links(&md);
            assert!(
                bad.is_empty(),
                "{}: live links {bad:?} in\n{md}",
                path.display()
            );
        }
    }
    assert!(checked > 10, "the pages and doc texts were found");
}

/// The text of every `#[doc = "..."]` and `#[deprecated(note = "...")]`.
fn doc_texts(source: &str) -> Vec<String> {
    let file: syn::File = syn::parse_str(source).expect("the Rust output parses");
    struct Docs(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Docs {
        fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
            if let syn::Meta::NameValue(nv) = &a.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
            {
                self.0.push(s.value());
            }
            if a.path().is_ident("deprecated") {
                let _ = a.parse_nested_meta(|m| {
                    if m.path.is_ident("note") {
                        let s: syn::LitStr = m.value()?.parse()?;
                        self.0.push(s.value());
                    }
                    Ok(())
                });
            }
        }
    }
    let mut docs = Docs(Vec::new());
    syn::visit::Visit::visit_file(&mut docs, &file);
    // rustdoc reads an item's doc attributes as one text.
    let joined = docs.0.join("\n");
    docs.0.push(joined);
    docs.0
}

/// rustdoc's own pages: no `href` or `src` of another scheme.
#[test]
fn rustdoc_writes_no_link_of_another_scheme() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("links-rustdoc");
    let files = errspec_tests::render(&registry(&dir));
    let source = files
        .get(Path::new("rust/src/links.rs"))
        .expect("the Rust output");
    let file = dir.join("links.rs");
    std::fs::write(&file, source).expect("write the Rust output");
    let out_dir = dir.join("doc");
    let program = std::env::var("RUSTDOC").unwrap_or_else(|_| "rustdoc".to_owned());
    let out = std::process::Command::new(&program)
        .args([
            "--edition=2024",
            "--crate-type=lib",
            "--crate-name=links",
            "-o",
        ])
        .arg(&out_dir)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{program}`: {e}"));
    assert!(
        out.status.success(),
        "rustdoc failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages = 0;
    for page in html_pages(&out_dir.join("links")) {
        pages += 1;
        let html = std::fs::read_to_string(&page).expect("read a page");
        for attr in ["href=\"", "src=\""] {
            for (at, _) in html.match_indices(attr) {
                let value = &html[at + attr.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                let value = value
                    .replace("&amp;", "&")
                    .replace("&#58;", ":")
                    .replace("&colon;", ":");
                assert!(
                    safe(&value),
                    "{}: {attr}{value}\" is a live link of another scheme",
                    page.display()
                );
            }
        }
    }
    assert!(pages > 3, "rustdoc wrote its pages");
}

fn html_pages(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            out.extend(html_pages(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    out
}
