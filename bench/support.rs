//! What the Rust benchmarks share (`cargo bench -p casus-sim | casus-history | casus-negotiate`),
//! included by each with `#[path]`: timing as the best of several runs, and peak memory.

use std::time::Instant;

/// The shortest of `runs` timings of `f`, in seconds, and the last run's result. One
/// result is alive at a time, so that peak-memory figures taken around it stay honest.
pub fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs.max(1) {
        drop(last.take());
        let t = Instant::now();
        let v = std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(v);
    }
    (best, last.expect("at least one run"))
}

/// The process's peak resident memory so far (Linux), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
