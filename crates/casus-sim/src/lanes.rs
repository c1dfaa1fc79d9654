//! Sets of guarantor lanes as bit words, and per-lane counts as bit-sliced counters:
//! the sampler asks "who responds?" of a few words rather than branching per guarantor.

use crate::sampler::BLOCK;

/// A set of lanes, 64 to a word: who responds in a trial is a few words, and the
/// questions asked of it (anyone? how many? any nuclear-armed?) are word operations
/// rather than a branch per guarantor the processor cannot predict.
pub(crate) type LaneSet = Vec<u64>;

pub(crate) fn lane_set(n: usize, member: impl Fn(usize) -> bool) -> LaneSet {
    let mut set = vec![0u64; n.div_ceil(64)];
    for i in (0..n).filter(|&i| member(i)) {
        set[i / 64] |= 1 << (i % 64);
    }
    set
}

#[inline(always)]
pub(crate) fn contains(set: &[u64], i: usize) -> bool {
    set[i / 64] >> (i % 64) & 1 == 1
}

/// Calls `f` with each member of `set ∩ mask`, in lane order.
#[inline(always)]
pub(crate) fn for_each_member(set: &[u64], mask: &[u64], mut f: impl FnMut(usize)) {
    for (w, (&s, &m)) in set.iter().zip(mask).enumerate() {
        let mut bits = s & m;
        while bits != 0 {
            f(w * 64 + bits.trailing_zeros() as usize);
            bits &= bits - 1;
        }
    }
}

#[inline(always)]
pub(crate) fn intersects(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).any(|(x, y)| x & y != 0)
}

/// Per lane, how many trials of a block it responded in, as bit-sliced counters: plane b
/// holds bit b of every lane's count, so adding a trial's set is a carry through the
/// planes — a few word operations, not an increment per responder.
pub(crate) struct LaneCounts {
    planes: Vec<[u64; PLANES]>,
}

/// Enough planes to count to BLOCK.
pub(crate) const PLANES: usize = (u64::BITS - BLOCK.leading_zeros()) as usize;

impl LaneCounts {
    pub(crate) fn new(words: usize) -> Self {
        Self {
            planes: vec![[0; PLANES]; words],
        }
    }

    #[inline(always)]
    pub(crate) fn add(&mut self, set: &[u64]) {
        for (planes, &word) in self.planes.iter_mut().zip(set) {
            let mut carry = word;
            for plane in planes.iter_mut() {
                let p = *plane;
                *plane = p ^ carry;
                carry &= p;
            }
        }
    }

    pub(crate) fn add_to(&self, counts: &mut [u64]) {
        for (i, c) in counts.iter_mut().enumerate() {
            let planes = &self.planes[i / 64];
            *c += planes
                .iter()
                .enumerate()
                .map(|(b, p)| ((p >> (i % 64)) & 1) << b)
                .sum::<u64>();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LaneCounts;
    use crate::sampler::{mix, BLOCK};

    #[test]
    fn lane_counts_count_each_lane_to_a_full_block() {
        // 100 lanes (two words), a full block of pseudo-random sets, and one lane always set.
        let mut counter = LaneCounts::new(2);
        let mut naive = vec![0u64; 100];
        for t in 0..BLOCK {
            let set = [mix(1, t) | 1, mix(2, t) & ((1 << 36) - 1)];
            counter.add(&set);
            for (i, c) in naive.iter_mut().enumerate() {
                *c += (set[i / 64] >> (i % 64)) & 1;
            }
        }
        let mut counts = vec![0u64; 100];
        counter.add_to(&mut counts);
        assert_eq!(counts, naive);
        assert_eq!(counts[0], BLOCK);
    }
}
