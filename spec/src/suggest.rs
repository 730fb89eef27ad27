//! "Did you mean" suggestions for misspelt keys and ids.

/// The closest candidate within a small edit distance, if any.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (typo_distance(&word.to_lowercase(), &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The edit distance, counting two swapped neighbours (`swfit`) as one typo.
fn typo_distance(a: &str, b: &str) -> usize {
    let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let differ: Vec<usize> = (0..x.len().min(y.len()))
        .filter(|&i| x[i] != y[i])
        .collect();
    let swapped = x.len() == y.len()
        && matches!(differ[..], [i, j] if j == i + 1 && x[i] == y[j] && x[j] == y[i]);
    if swapped { 1 } else { edit_distance(a, b) }
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j] + 1).min(row[j + 1] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_swapped_letters_are_one_typo() {
        assert_eq!(did_you_mean("swfit", &["swift", "dart"]), Some("swift"));
        assert_eq!(did_you_mean("sfwti", &["swift", "dart"]), None);
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(
            did_you_mean("mesage", &["message", "trigger"]),
            Some("message")
        );
        assert_eq!(
            did_you_mean("Trigger", &["message", "trigger"]),
            Some("trigger")
        );
        assert_eq!(did_you_mean("colour", &["message", "trigger"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
