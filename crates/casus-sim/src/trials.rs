//! Per-trial records, kept only when asked (`keep_trials`): one [`TrialRecord`] per trial
//! and, beside it, which obligors responded and which responded with force, as bit sets
//! over the option's obligors. Nothing here runs when trials are not kept.

use std::ops::ControlFlow;

use casus_model::ActorId;

use crate::prepare::Prepared;

/// One trial's outcome, for `--out` per-trial files.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrialRecord {
    pub trial: u64,
    pub responders: u32,
    pub military_responders: u32,
    pub first_military_days: f64,
    pub capability_ratio: f64,
    /// The lead guarantor responded with force.
    pub lead_military: bool,
    /// Days until the arrived military responders' committed capability first reached the
    /// attacker's (infinite if it never did, NaN if capability is unknown).
    pub parity_days: f64,
}

/// Where per-trial records go as they are drawn (`keep_trials` with [`crate::run_into`]),
/// so that memory does not grow with the trials. Records come in a fixed order whatever
/// the thread count: batch by batch; within a batch, option by option; within an option,
/// by trial. `Break` stops the run after the current batch (e.g. the disk is full).
pub trait TrialSink {
    /// Called once before any trial: for each option, its obligors in the order of the
    /// bits of [`Trial::responded`] (see [`obligor_actors`]).
    fn begin(&mut self, obligors: &[Vec<ActorId>]) {
        let _ = obligors;
    }

    fn trials(&mut self, option: usize, trials: &TrialRecords) -> ControlFlow<()>;
}

/// An option's obligors, each once, in guarantor order (an obligor's lanes are adjacent):
/// bit `j` of a trial's obligor sets is the `j`-th.
pub fn obligor_actors(p: &Prepared) -> Vec<ActorId> {
    p.guarantors
        .iter()
        .enumerate()
        .filter(|(i, g)| *i == 0 || !g.same_as_previous)
        .map(|(_, g)| g.actor)
        .collect()
}

/// The members of a bit set, in order.
pub fn members(set: &[u64]) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, &word)| {
        let mut bits = word;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                w * 64 + i
            })
        })
    })
}

/// One option's kept trials: a [`TrialRecord`] each (the slice it dereferences to) and two
/// obligor sets each, stored flat (`words` words per set) so that a trial costs no
/// allocation of its own.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrialRecords {
    records: Vec<TrialRecord>,
    words: usize,
    /// Per trial: the obligors that responded, then those that responded with force.
    sets: Vec<u64>,
}

/// One kept trial: its record and its obligor sets (bit `j`: the option's `j`-th obligor).
#[derive(Debug, Clone, Copy)]
pub struct Trial<'a> {
    pub record: &'a TrialRecord,
    pub responded: &'a [u64],
    pub responded_military: &'a [u64],
}

impl TrialRecords {
    /// Room for trials of an option with `obligors` obligors.
    pub fn new(obligors: usize) -> Self {
        Self {
            records: Vec::new(),
            words: obligors.div_ceil(64),
            sets: Vec::new(),
        }
    }

    /// Adds a trial; `responded` and `military` are `words` words each.
    pub(crate) fn push(&mut self, record: TrialRecord, responded: &[u64], military: &[u64]) {
        debug_assert!(responded.len() == self.words && military.len() == self.words);
        self.records.push(record);
        self.sets.extend_from_slice(responded);
        self.sets.extend_from_slice(military);
    }

    pub(crate) fn append(&mut self, other: Self) {
        if self.records.is_empty() {
            *self = other;
            return;
        }
        debug_assert_eq!(self.words, other.words);
        self.records.extend(other.records);
        self.sets.extend(other.sets);
    }

    /// Trial `i` with its obligor sets.
    pub fn get(&self, i: usize) -> Trial<'_> {
        let at = 2 * self.words * i;
        Trial {
            record: &self.records[i],
            responded: &self.sets[at..at + self.words],
            responded_military: &self.sets[at + self.words..at + 2 * self.words],
        }
    }

    /// Every trial with its obligor sets, in order.
    pub fn trials(&self) -> impl Iterator<Item = Trial<'_>> {
        (0..self.records.len()).map(|i| self.get(i))
    }
}

impl std::ops::Deref for TrialRecords {
    type Target = [TrialRecord];

    fn deref(&self) -> &[TrialRecord] {
        &self.records
    }
}
