//! Any bytes, as a one-file registry: the loader must not panic, and every
//! label of every diagnostic must lie inside the file, on a char boundary.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        // Non-UTF-8 input is refused before parsing; the mutation loop covers that path.
        return;
    };
    if let Err(diagnostics) = errspec::load_str("fuzz.yaml", text) {
        for d in &diagnostics.list {
            for label in &d.labels {
                let file = diagnostics.sources.file(label.span.file).text();
                assert!(label.span.start <= label.span.end && label.span.end <= file.len());
                assert!(file.is_char_boundary(label.span.start) && file.is_char_boundary(label.span.end));
            }
        }
        let _ = diagnostics.render(false);
    }
});
