//! How many time spans are open at the busiest instant: the check, from the times a run
//! records, that threads take turns (never more than one at once) while worker processes
//! work side by side.

/// The most of `spans` open at one instant. A span is half-open, `[start, end)`: one that
/// ends exactly when another starts does not overlap it (a turn handed over). Empty or
/// reversed spans count for nothing.
pub fn most_at_once(spans: &[(f64, f64)]) -> usize {
    let mut edges: Vec<(f64, bool)> = Vec::with_capacity(2 * spans.len());
    for &(start, end) in spans {
        if end > start {
            edges.push((start, true));
            edges.push((end, false));
        }
    }
    // By time, ends before starts at equal times. Insertion sort: the spans come about in
    // time order (turns and jobs are recorded as they happen), so it is close to linear,
    // and it costs the module a few bytes where the library's sort costs kilobytes.
    let before = |a: (f64, bool), b: (f64, bool)| a.0 < b.0 || (a.0 == b.0 && !a.1 && b.1);
    for i in 1..edges.len() {
        let mut j = i;
        while j > 0 && before(edges[j], edges[j - 1]) {
            edges.swap(j, j - 1);
            j -= 1;
        }
    }
    let (mut open, mut most) = (0usize, 0usize);
    for (_, starts) in edges {
        open = if starts { open + 1 } else { open - 1 };
        most = most.max(open);
    }
    most
}

#[cfg(test)]
mod tests {
    use super::most_at_once;

    #[test]
    fn turns_handed_over_never_overlap() {
        assert_eq!(most_at_once(&[(0.0, 1.0), (1.0, 2.0), (2.0, 2.5)]), 1);
        assert_eq!(most_at_once(&[]), 0);
        assert_eq!(most_at_once(&[(3.0, 3.0), (5.0, 4.0)]), 0, "empty and reversed spans");
    }

    #[test]
    fn counts_the_busiest_instant() {
        assert_eq!(most_at_once(&[(0.0, 10.0), (2.0, 3.0), (2.5, 9.0), (9.0, 12.0)]), 3);
        assert_eq!(most_at_once(&[(0.0, 4.0), (5.0, 6.0), (3.0, 5.5)]), 2);
        assert_eq!(most_at_once(&[(4.0, 6.0), (0.0, 5.0), (5.0, 7.0), (1.0, 2.0)]), 2, "out of order");
        assert_eq!(most_at_once(&[(2.0, 3.0), (2.0, 3.0), (0.0, 9.0)]), 3, "equal spans");
    }
}
