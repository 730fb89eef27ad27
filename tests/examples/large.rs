//! For `scripts/large-compile.sh`. `cargo run -p errspec-tests --example large -- SHAPE N`
//! writes one of the large registries of `errspec_tests::large` to stdout (SHAPE `entries`,
//! `aliases` or `params`); `-- parse FILE...` parses each generated Dart or Swift file with
//! its tree-sitter grammar, or Markdown file with pulldown-cmark, and prints
//! `FILE SECONDS` (and fails on a tree-sitter syntax error).

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("parse") {
        for file in &args[1..] {
            if let Err(e) = parse(file) {
                eprintln!("error: {file}: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let (shape, n) = match args.as_slice() {
        [shape, n] => (shape.as_str(), n),
        _ => usage(),
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("error: N must be a whole number, not `{n}`");
        std::process::exit(2);
    };
    let text = match shape {
        "entries" => errspec_tests::large::entries(n),
        "aliases" => errspec_tests::large::aliases(n),
        "params" => errspec_tests::large::params(n),
        other => {
            eprintln!("error: no shape `{other}` (entries, aliases or params)");
            std::process::exit(2);
        }
    };
    print!("{text}");
}

fn usage() -> ! {
    eprintln!("usage: large SHAPE N (SHAPE: entries, aliases or params), or large parse FILE...");
    std::process::exit(2)
}

fn parse(file: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let grammar: tree_sitter::Language = if file.ends_with(".dart") {
        tree_sitter_dart::LANGUAGE.into()
    } else if file.ends_with(".swift") {
        tree_sitter_swift::LANGUAGE.into()
    } else if file.ends_with(".md") {
        let events = pulldown_cmark::Parser::new(&text).count();
        println!(
            "{file} {:.3} ({events} events)",
            start.elapsed().as_secs_f64()
        );
        return Ok(());
    } else {
        return Err("not a .dart, .swift or .md file".to_owned());
    };
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&grammar).map_err(|e| e.to_string())?;
    let tree = parser
        .parse(&text, None)
        .ok_or("tree-sitter gave no tree")?;
    let seconds = start.elapsed().as_secs_f64();
    if tree.root_node().has_error() {
        return Err("tree-sitter reports a syntax error".to_owned());
    }
    println!("{file} {seconds:.3}");
    Ok(())
}
