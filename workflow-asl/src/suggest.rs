//! "Did you mean ...?": the closest candidate to a misspelled name.

/// The candidate within about a third of `wrong`'s length in edits, if any.
#[must_use]
pub fn closest<'c>(wrong: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let (distance, best) = candidates
        .map(|c| (edit_distance(wrong, c), c))
        .min_by_key(|(d, _)| *d)?;
    (distance > 0 && distance <= wrong.chars().count().div_ceil(3)).then_some(best)
}

/// The Levenshtein distance between `a` and `b`, in characters.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
    }

    #[test]
    fn closest_needs_a_near_enough_candidate() {
        let names = ["next", "end", "comment"];
        assert_eq!(closest("nxt", names.into_iter()), Some("next"));
        assert_eq!(closest("bogus", names.into_iter()), None);
        assert_eq!(
            closest("next", names.into_iter()),
            None,
            "an exact name is no typo"
        );
    }
}
