//! Work over many independent items on every core, with results in the items' order.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Items a thread takes at a time: consecutive ones, so that per-thread state (the folders of
/// the last path opened) serves the next item.
const CHUNK: usize = 64;

/// `f` over every item, in order. On one thread below `from` items (or on one core), as
/// starting threads would cost more than it saves; else on every core, each thread with its
/// own `state()`. `f` must not depend on which thread runs it: the results are the same
/// either way.
pub fn map<T, R, S>(
    items: &[T],
    from: usize,
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || items.len() < from.max(2) {
        let mut s = state();
        return items.iter().map(|item| f(&mut s, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut s = state();
        let mut done: Vec<(usize, Vec<R>)> = Vec::new();
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= items.len() {
                break;
            }
            let chunk = &items[start..(start + CHUNK).min(items.len())];
            done.push((start, chunk.iter().map(|item| f(&mut s, item)).collect()));
        }
        done
    };
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..cores).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    parts.sort_by_key(|(start, _)| *start);
    parts.into_iter().flat_map(|(_, results)| results).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_are_in_order_on_one_thread_and_on_many() {
        let items: Vec<u64> = (0..10_000).collect();
        let expected: Vec<u64> = items.iter().map(|i| i * i).collect();
        for from in [0, 1, 100, 1_000_000] {
            let got = super::map(&items, from, || (), |_, i| i * i);
            assert_eq!(got, expected, "from {from}");
        }
        let none: Vec<u64> = super::map(&[] as &[u64], 0, || (), |_, i| *i);
        assert!(none.is_empty());
    }

    #[test]
    fn each_thread_keeps_its_own_state() {
        let items: Vec<u32> = (0..5_000).collect();
        // The state counts the items its thread saw; every item is seen once.
        let seen = super::map(
            &items,
            0,
            || 0u32,
            |n, _| {
                *n += 1;
                *n
            },
        );
        assert_eq!(seen.len(), items.len());
        assert!(seen.iter().all(|n| *n >= 1));
    }
}
