//! Puts an incident's updates oldest first by their own times, whatever order the page listed them in.

use chrono::{DateTime, Utc};

/// The order a page usually lists updates in, for when their times cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listed {
    NewestFirst,
    OldestFirst,
}

/// Sorts `items` oldest first. Items with a time are ordered by it; an item without one stays
/// right after the item listed before it. Which way the list runs is read from its times,
/// else from where its one dated item sits against the entry's own first and last dates
/// (`span`), else it is taken to run the `usual` way. The sort is stable: items of the same
/// second keep the order they were posted in.
pub(crate) fn oldest_first<T>(
    items: &mut Vec<T>,
    at: impl Fn(&T) -> Option<DateTime<Utc>>,
    usual: Listed,
    span: Option<(DateTime<Utc>, DateTime<Utc>)>,
) {
    if direction(items, &at, usual, span) == Listed::NewestFirst {
        items.reverse();
    }
    let mut carried: Option<DateTime<Utc>> = None;
    let keys: Vec<Option<DateTime<Utc>>> = items
        .iter()
        .map(|item| {
            if let Some(t) = at(item) {
                carried = Some(t);
            }
            carried
        })
        .collect();
    let mut keyed: Vec<(Option<DateTime<Utc>>, T)> =
        keys.into_iter().zip(items.drain(..)).collect();
    keyed.sort_by_key(|(key, _)| *key);
    items.extend(keyed.into_iter().map(|(_, item)| item));
}

fn direction<T>(
    items: &[T],
    at: &impl Fn(&T) -> Option<DateTime<Utc>>,
    usual: Listed,
    span: Option<(DateTime<Utc>, DateTime<Utc>)>,
) -> Listed {
    let timed: Vec<(usize, DateTime<Utc>)> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| at(item).map(|t| (i, t)))
        .collect();
    let (mut rising, mut falling) = (0usize, 0usize);
    for pair in timed.windows(2) {
        if let [(_, a), (_, b)] = pair {
            if b > a {
                rising += 1;
            } else if b < a {
                falling += 1;
            }
        }
    }
    if rising != falling {
        return if rising > falling {
            Listed::OldestFirst
        } else {
            Listed::NewestFirst
        };
    }
    // One dated item: nearer the entry's last date it is the newest, so the end of the
    // list it sits at is the newest end.
    if let (Some((first, last)), [(i, t)]) = (span, timed.as_slice()) {
        let from_front = *i;
        let from_back = items.len() - 1 - i;
        if first < last && from_front != from_back {
            let near_last = *t - first > last - *t;
            let at_front = from_front < from_back;
            return if near_last == at_front {
                Listed::NewestFirst
            } else {
                Listed::OldestFirst
            };
        }
    }
    usual
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::t;

    fn order(
        items: &[(&'static str, Option<i64>)],
        usual: Listed,
        span: Option<(i64, i64)>,
    ) -> Vec<&'static str> {
        let mut v = items.to_vec();
        oldest_first(
            &mut v,
            |(_, m)| m.map(t),
            usual,
            span.map(|(a, b)| (t(a), t(b))),
        );
        v.into_iter().map(|(name, _)| name).collect()
    }

    #[test]
    fn times_decide_whatever_the_usual_order() {
        let newest_first = [("c", Some(30)), ("b", Some(20)), ("a", Some(10))];
        let oldest_first = [("a", Some(10)), ("b", Some(20)), ("c", Some(30))];
        for usual in [Listed::NewestFirst, Listed::OldestFirst] {
            assert_eq!(order(&newest_first, usual, None), ["a", "b", "c"]);
            assert_eq!(order(&oldest_first, usual, None), ["a", "b", "c"]);
        }
        // Out of order: the times win.
        assert_eq!(
            order(
                &[("b", Some(20)), ("a", Some(10)), ("c", Some(30))],
                Listed::NewestFirst,
                None
            ),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn undated_items_stay_after_their_neighbour() {
        // Listed newest first: "u" was posted after "a" and before "b".
        assert_eq!(
            order(
                &[("b", Some(20)), ("u", None), ("a", Some(10))],
                Listed::NewestFirst,
                None
            ),
            ["a", "u", "b"]
        );
        // Listed oldest first, the undated one first: it stays first.
        assert_eq!(
            order(
                &[("u", None), ("a", Some(10)), ("b", Some(20))],
                Listed::NewestFirst,
                None
            ),
            ["u", "a", "b"]
        );
    }

    #[test]
    fn same_second_keeps_posting_order() {
        assert_eq!(
            order(
                &[("second", Some(10)), ("first", Some(10)), ("zero", Some(5))],
                Listed::NewestFirst,
                None
            ),
            ["zero", "first", "second"]
        );
    }

    #[test]
    fn without_times_the_entry_dates_then_the_usual_order_decide() {
        let one_dated = [("x", Some(58)), ("y", None), ("z", None)];
        // The dated one is near the entry's last date and sits first: newest first.
        assert_eq!(
            order(&one_dated, Listed::OldestFirst, Some((0, 60))),
            ["z", "y", "x"]
        );
        // Near the entry's first date and first: oldest first.
        let early = [("x", Some(2)), ("y", None), ("z", None)];
        assert_eq!(
            order(&early, Listed::NewestFirst, Some((0, 60))),
            ["x", "y", "z"]
        );
        let none = [("p", None), ("q", None)];
        assert_eq!(order(&none, Listed::NewestFirst, Some((0, 60))), ["q", "p"]);
        assert_eq!(order(&none, Listed::OldestFirst, None), ["p", "q"]);
        let mut empty: Vec<(&str, Option<i64>)> = Vec::new();
        oldest_first(&mut empty, |(_, m)| m.map(t), Listed::NewestFirst, None);
        assert!(empty.is_empty());
    }
}
