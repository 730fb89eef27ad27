//! What the YAML reader says where serde-saphyr's words were unclear: each
//! diagnostic names what is wrong and how to fix it.

use errspec::source::SourceMap;

/// The rendered diagnostic for `text`, which must fail to read.
fn said(text: &str) -> String {
    let mut sources = SourceMap::new();
    let id = sources.add("t.yaml", text.to_owned());
    let d = errspec::yaml::parse(sources.file(id), id).expect_err(text);
    d.render(&sources, false)
}

#[test]
fn each_message_names_the_problem_and_the_fix() {
    for (text, says, fix) in [
        (
            "a: *nope\n",
            "this alias names no anchor defined before it",
            "define the anchor",
        ),
        (
            "a: &x [*x]\n",
            "inside the node its anchor names",
            "move the anchor",
        ),
        (
            "a: !custom 1\n",
            "the tag `!custom` is not supported",
            "remove the tag",
        ),
        (
            "a: !include x.yaml\n",
            "`!include` is not supported",
            "catalog file of its own",
        ),
        (
            "a: !!seq 1\n",
            "the tag `!!seq` needs a list, and tags a scalar here",
            "remove the tag",
        ),
        (
            "a: !!int x\n",
            "`x` is not an integer of 64 bits, as its tag `!!int` requires",
            "whole number",
        ),
        (
            "a: !!int 99999999999999999999\n",
            "is not an integer of 64 bits",
            "whole number",
        ),
        (
            "a: !!bool yes\n",
            "`yes` is not a boolean",
            "`true` or `false`",
        ),
        ("a: !!float x\n", "`x` is not a number", "`1.5`"),
        (
            "a: !!binary aGVsbG8\n",
            "not valid base64",
            "write the text itself",
        ),
        (
            "a: !!binary //79\n",
            "not UTF-8 text once decoded",
            "write the text itself",
        ),
        (
            "a: !!timestamp 2001-12-14\n",
            "`!!timestamp` value is not read",
            "read as text",
        ),
        (
            "d:\n  <<: 1\n",
            "a merge key (`<<`) takes a mapping or a list of mappings",
            "`<<: *defaults`",
        ),
    ] {
        let out = said(text);
        assert!(out.contains(says), "{text:?}: {out}");
        assert!(out.contains(fix), "{text:?}: {out}");
        for old in [
            "weak recursion",
            "unsupported tag",
            "invalid i64",
            "Options",
            "(defined",
        ] {
            assert!(!out.contains(old), "{text:?}: {out}");
        }
    }
}

#[test]
fn a_limit_names_what_ran_out_and_the_limit() {
    let deep = format!("a: {}{}\n", "[".repeat(40), "]".repeat(40));
    let out = said(&deep);
    assert!(
        out.contains("33 levels of nesting; the limit is 32"),
        "{out}"
    );
    assert!(!out.contains("Depth {"), "{out}");
}
