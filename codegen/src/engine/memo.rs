//! Markdown conversions shared by the pages of one catalog.
//!
//! The Markdown target writes a catalog's canonical page and one page per
//! platform, whose triggers, descriptions and fix hints are mostly the same
//! texts; each conversion runs pulldown-cmark one or more times. The first page
//! of a catalog converts a text and keeps the result; the later pages read it,
//! and the last neither keeps nor is followed: the catalog's memo is freed
//! when its last view has rendered ([`Memos::done`]).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// One memo per catalog, by catalog index.
pub(crate) struct Memos {
    catalogs: Vec<Mutex<Memo>>,
}

/// A catalog's converted texts: by helper (an index into
/// [`crate::helpers::TEXT_HELPERS`]), the result for each input text.
#[derive(Default)]
struct Memo {
    by_helper: [HashMap<Box<str>, String>; crate::helpers::TEXT_HELPERS.len()],
}

/// How a render uses its catalog's memo.
#[derive(Clone, Copy)]
pub(crate) struct MemoUse<'m> {
    memo: &'m Mutex<Memo>,
    /// Whether results are kept: not on the catalog's last view, which no page follows.
    keep: bool,
}

impl Memos {
    pub(crate) fn new(catalogs: usize) -> Memos {
        Memos {
            catalogs: (0..catalogs).map(|_| Mutex::default()).collect(),
        }
    }

    /// The memo of `catalog` for one of its views; `last` when no view of it renders after.
    pub(crate) fn of(&self, catalog: usize, last: bool) -> Option<MemoUse<'_>> {
        self.catalogs
            .get(catalog)
            .map(|memo| MemoUse { memo, keep: !last })
    }

    /// Frees the memo of `catalog`, whose views have all rendered.
    pub(crate) fn done(&self, catalog: usize) {
        if let Some(memo) = self.catalogs.get(catalog) {
            *memo.lock().unwrap_or_else(PoisonError::into_inner) = Memo::default();
        }
    }
}

impl MemoUse<'_> {
    /// Writes `f(text)` (helper `helper`) to `out`, from the memo when an earlier page converted it.
    pub(crate) fn write(self, helper: usize, f: fn(&str) -> String, text: &str, out: &mut String) {
        let mut memo = self.memo.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(results) = memo.by_helper.get_mut(helper) else {
            out.push_str(&f(text));
            return;
        };
        if let Some(done) = results.get(text) {
            out.push_str(done);
            return;
        }
        let done = f(text);
        out.push_str(&done);
        if self.keep {
            results.insert(text.into(), done);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shout(s: &str) -> String {
        s.to_uppercase()
    }
    fn other(s: &str) -> String {
        format!("<{s}>")
    }

    #[test]
    fn a_catalogs_later_views_read_what_its_first_converted() {
        let memos = Memos::new(2);
        let mut out = String::new();
        let first = memos.of(0, false).expect("catalog 0");
        first.write(1, shout, "a", &mut out);
        // Read from the memo: `other` is not called for a text converted before.
        memos
            .of(0, true)
            .expect("catalog 0")
            .write(1, other, "a", &mut out);
        // Another helper, another catalog: converted anew.
        first.write(2, other, "a", &mut out);
        memos
            .of(1, false)
            .expect("catalog 1")
            .write(1, other, "a", &mut out);
        assert_eq!(out, "AA<a><a>");
        // The last view keeps nothing; a catalog done is freed.
        memos
            .of(1, true)
            .expect("catalog 1")
            .write(1, shout, "b", &mut out);
        memos
            .of(1, true)
            .expect("catalog 1")
            .write(1, other, "b", &mut out);
        memos.done(0);
        memos
            .of(0, true)
            .expect("catalog 0")
            .write(1, other, "a", &mut out);
        assert_eq!(out, "AA<a><a>B<b><a>");
    }
}
