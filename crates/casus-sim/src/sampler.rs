//! The Monte Carlo kernel. Trials come in blocks; each block has its own random stream,
//! derived from the master seed and the block's index (never from the thread that runs
//! it), and blocks are merged in index order: the same seed gives bit-identical results
//! with any number of threads.

use rand::{Rng, RngCore, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use crate::lanes::{contains, for_each_member, intersects, lane_set, LaneCounts, LaneSet};
use crate::normal_cdf::standard_normal_cdf;
use crate::prepare::{normal_threshold, Delay, Gate, Prepared};
use crate::stats::Tally;
pub use crate::trials::{TrialRecord, TrialRecords, TrialSink};

pub const BLOCK: u64 = 1024;
/// Blocks per batch: the stopping rule of `--precision` is checked after each batch, and
/// progress is reported. A run of a fixed number of trials takes larger batches: fewer
/// pauses for the threads to meet.
pub const BATCH_BLOCKS: u64 = 8;
pub const FIXED_BATCH_BLOCKS: u64 = 32;
/// The multiples k of the attacker's capability that "committed capability ≥ k × the
/// attacker's" is reported for.
pub const CAPABILITY_MULTIPLES: [f64; 3] = [0.5, 1.0, 2.0];
/// Mixed into the seed for the second stream of a block: the draws that only the time to
/// capability parity needs come from it, so the first stream (and every other figure) is
/// the same whether or not parity is reached.
const PARITY_STREAM: u64 = 0x5041_5249_5459_0001;

#[derive(Debug, Clone)]
pub struct RunConfig {
    /// A fixed number of trials, or …
    pub trials: Option<u64>,
    /// … run until every reported probability's standard error is at most this.
    pub precision: f64,
    pub max_trials: u64,
    pub seed: u64,
    pub threads: usize,
    /// Keep one record per trial (memory grows with trials; only when asked).
    pub keep_trials: bool,
}

#[derive(Debug, Clone)]
pub struct OptionRun {
    pub tally: Tally,
    pub records: TrialRecords,
}

/// SplitMix64: decorrelates block seeds that differ in one bit.
pub fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One guarantor as the hot loop reads it.
#[derive(Debug, Clone)]
struct Lane {
    /// The same obligor as the previous lane: reuse its draw.
    same_as_previous: bool,
    /// Which obligor (lanes of one obligor are adjacent and share it).
    obligor: u32,
    threshold: usize,
    approve_bound: u64,
    /// Its decision time is needed before the decision rules are applied (it is in a
    /// body, or a military guarantor follows it).
    decide_early: bool,
    military: bool,
    capability: f64,
    decide: Delay,
    approve: Delay,
    deploy: Delay,
    /// ln of the deployment delay's median, to draw it as a log.
    deploy_log_median: f64,
}

/// Precomputed numbers for one option.
struct Kernel {
    a: f64,
    b: f64,
    inv_b: f64,
    /// Distinct honour thresholds (many guarantors share one).
    thresholds: Vec<f64>,
    lanes: Vec<Lane>,
    all: LaneSet,
    military: LaneSet,
    support: LaneSet,
    /// Military lanes of nuclear-armed obligors.
    nuclear: LaneSet,
    /// Military lanes of the lead guarantor.
    lead_military: LaneSet,
    /// Distinct obligors (lanes carry an index below this).
    obligors: usize,
    /// Lanes whose decision time is drawn before the decision rules apply.
    early: Vec<usize>,
    followers: Vec<(usize, usize)>,
    groups: Vec<(Vec<usize>, usize)>,
    capability_known: bool,
    attacker_capability: f64,
}

impl Kernel {
    fn new(p: &Prepared) -> Self {
        let rho = p.rho.clamp(0.0, 1.0);
        let g = &p.guarantors;
        let n = g.len();
        let followers: Vec<(usize, usize)> = g
            .iter()
            .enumerate()
            .filter_map(|(i, g)| {
                if let Gate::Follows(j) = g.gate {
                    Some((i, j))
                } else {
                    None
                }
            })
            .collect();
        let mut decide_early: Vec<bool> = g
            .iter()
            .map(|g| g.military && matches!(g.gate, Gate::Group(_) | Gate::Follows(_)))
            .collect();
        for &(i, j) in &followers {
            if g[i].military {
                decide_early[j] = true;
            }
        }
        let mut thresholds: Vec<f64> = Vec::new();
        let mut obligor = 0u32;
        let lanes: Vec<Lane> = g
            .iter()
            .zip(&decide_early)
            .enumerate()
            .map(|(i, (g, &early))| {
                let t = normal_threshold(g.p_honour);
                let threshold = thresholds
                    .iter()
                    .position(|x| x.to_bits() == t.to_bits())
                    .unwrap_or_else(|| {
                        thresholds.push(t);
                        thresholds.len() - 1
                    });
                if i > 0 && !g.same_as_previous {
                    obligor += 1;
                }
                Lane {
                    same_as_previous: g.same_as_previous,
                    obligor,
                    threshold,
                    approve_bound: probability_bound(g.p_approve),
                    decide_early: early,
                    military: g.military,
                    capability: g.capability.unwrap_or(0.0),
                    decide: g.decide,
                    approve: g.approve,
                    deploy: g.deploy,
                    deploy_log_median: g.deploy.median.ln(),
                }
            })
            .collect();
        Self {
            a: rho.sqrt(),
            b: (1.0 - rho).sqrt(),
            inv_b: 1.0 / (1.0 - rho).sqrt(),
            thresholds,
            all: lane_set(n, |_| true),
            military: lane_set(n, |i| g[i].military),
            support: lane_set(n, |i| g[i].support),
            nuclear: lane_set(n, |i| g[i].military && g[i].nuclear),
            lead_military: lane_set(n, |i| g[i].military && g[i].lead),
            obligors: p.obligors(),
            early: (0..n).filter(|&i| decide_early[i]).collect(),
            lanes,
            followers,
            groups: p.groups.iter().map(|g| (g.members.clone(), g.need)).collect(),
            capability_known: p.capability_known(),
            attacker_capability: p.attacker_capability.unwrap_or(1.0),
        }
    }

    fn gated(&self) -> bool {
        !self.groups.is_empty() || !self.followers.is_empty()
    }
}

/// A probability as a bound on a raw 32-bit draw: P(draw < bound) = p, to 2^-32
/// (the bound is 2^32 for p = 1, so certainty stays certain).
#[inline]
fn probability_bound(p: f64) -> u64 {
    if p >= 1.0 {
        1 << 32
    } else if p <= 0.0 {
        0
    } else {
        (p * 4_294_967_296.0) as u64
    }
}

/// Given the common shock C, each distinct threshold t gives the conditional probability
/// of honouring, P(aC + bE < t) = Φ((t - aC) / b), as a bound for a raw draw. This is the
/// Gaussian copula exactly, with one uniform draw per guarantor instead of a normal.
#[inline]
fn conditional_bounds(k: &Kernel, common: f64, out: &mut [u64]) {
    for (o, t) in out.iter_mut().zip(&k.thresholds) {
        let x = t - k.a * common;
        *o = if k.b <= 0.0 {
            if x > 0.0 {
                1 << 32
            } else {
                0
            }
        } else {
            probability_bound(standard_normal_cdf(x * k.inv_b))
        };
    }
}

/// Who honours and, if it must, obtains approval at home, as a set. One raw 64-bit draw
/// per obligor: its high half decides the honour, its low half the approval (32-bit
/// resolution, 2.3e-10, is far below Monte Carlo error; an approval that cannot fail has
/// the bound 2^32, which every half passes).
#[inline(always)]
fn honour<R: RngCore>(rng: &mut R, k: &Kernel, bounds: &[u64], out: &mut [u64]) {
    let mut x = 0u64;
    for (word, lanes) in out.iter_mut().zip(k.lanes.chunks(64)) {
        let mut bits = 0u64;
        for (j, lane) in lanes.iter().enumerate() {
            if !lane.same_as_previous {
                x = rng.next_u64();
            }
            let r = ((x >> 32) < bounds[lane.threshold]) & ((x & 0xFFFF_FFFF) < lane.approve_bound);
            bits |= u64::from(r) << j;
        }
        *word = bits;
    }
}

/// The earliest arrival among the military responders. Each responder's arrival is the
/// sum of its deployment, approval and decision delays (the decision already drawn if a
/// rule needed it). Every responder's deployment delay, the largest, is drawn first (as a
/// log, into `deploy`, scratch space reused across trials). The responder deploying first
/// is completed first, as it is likely to arrive first; then, in lane order, any other
/// whose deployment alone cannot beat the earliest arrival so far is skipped without
/// drawing further. The minimum is exact; the stream is fixed by the seed.
#[inline(always)]
fn earliest<R: Rng>(
    rng: &mut R,
    k: &Kernel,
    responding: &[u64],
    decided: &[f64],
    deploy: &mut Vec<(f64, u32)>,
    arrive: Option<&mut Vec<f64>>,
) -> f64 {
    deploy.clear();
    let (mut first, mut first_log) = (0, f64::INFINITY);
    for_each_member(responding, &k.military, |i| {
        let lane = &k.lanes[i];
        // ln(median·e^(σz)); −∞ when there is no deployment delay.
        let log = if lane.deploy.median > 0.0 {
            lane.deploy_log_median + lane.deploy.sigma * rng.sample::<f64, _>(StandardNormal)
        } else {
            f64::NEG_INFINITY
        };
        if log < first_log {
            (first, first_log) = (deploy.len(), log);
        }
        deploy.push((log, i as u32));
    });
    let mut best = f64::INFINITY;
    let mut log_best = f64::INFINITY;
    // Arrivals computed here, by position in `deploy` (NaN: skipped), when asked.
    let mut arrive = arrive;
    if let Some(a) = arrive.as_deref_mut() {
        a.clear();
        a.resize(deploy.len(), f64::NAN);
    }
    let mut complete = |rng: &mut R, j: usize, (log, i): (f64, u32)| {
        if log >= log_best {
            return;
        }
        let lane = &k.lanes[i as usize];
        let decide = if lane.decide_early {
            decided[i as usize]
        } else {
            lane.decide.draw(rng)
        };
        let t = log.exp() + lane.approve.draw(rng) + decide;
        if let Some(a) = arrive.as_deref_mut() {
            a[j] = t;
        }
        if t < best {
            best = t;
            log_best = ln_upper_bound(t);
        }
    };
    if let Some(&d) = deploy.get(first) {
        complete(rng, first, d);
    }
    for (j, &d) in deploy.iter().enumerate() {
        if j != first {
            complete(rng, j, d);
        }
    }
    best
}

/// Scratch space for the time to capability parity, reused across trials.
struct ParityScratch {
    arrive: Vec<f64>,
    order: Vec<(f64, u32)>,
    /// Per obligor: the capability its arrived lanes commit so far.
    own: Vec<f64>,
}

impl ParityScratch {
    fn new(k: &Kernel) -> Self {
        Self {
            arrive: Vec::with_capacity(k.lanes.len()),
            order: Vec::with_capacity(k.lanes.len()),
            own: vec![0.0; k.obligors],
        }
    }
}

/// The day the military responders that have arrived first commit, together, at least the
/// attacker's capability (infinite if they never do). Arrivals that `earliest` computed
/// are reused; the responders it skipped get their remaining delays from `rng` (the
/// block's second stream), so that the first stream does not depend on this figure.
fn parity_time<R: Rng>(
    rng: &mut R,
    k: &Kernel,
    decided: &[f64],
    deploy: &[(f64, u32)],
    s: &mut ParityScratch,
) -> f64 {
    s.order.clear();
    for (&(log, i), &t) in deploy.iter().zip(&s.arrive) {
        let t = if t.is_nan() {
            let lane = &k.lanes[i as usize];
            let decide = if lane.decide_early {
                decided[i as usize]
            } else {
                lane.decide.draw(rng)
            };
            log.exp() + lane.approve.draw(rng) + decide
        } else {
            t
        };
        s.order.push((t, i));
    }
    s.order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let need = k.attacker_capability * (1.0 - 1e-12);
    let (mut total, mut when) = (0.0, f64::INFINITY);
    for &(t, i) in &s.order {
        let lane = &k.lanes[i as usize];
        let own = &mut s.own[lane.obligor as usize];
        if lane.capability > *own {
            total += lane.capability - *own;
            *own = lane.capability;
        }
        if total >= need {
            when = t;
            break;
        }
    }
    for &(_, i) in &s.order {
        s.own[k.lanes[i as usize].obligor as usize] = 0.0;
    }
    when
}

/// An upper bound of ln(x) within 0.0013 of it, for finite x ≥ 0, in a few multiplications. The
/// pruning in `earliest` needs no more: a bound above ln(best) lets a few more draws through
/// to the exact comparison, never fewer, so the minimum stays exact. With x = 2^e·(1 + f),
/// log2(1 + f) lies at most 0.00105 above f + f(1 − f)(0.42086 − 0.15639 f) (a least-squares
/// fit on [0, 1]), hence the margin of 0.0011; a test checks the bound.
#[inline(always)]
fn ln_upper_bound(x: f64) -> f64 {
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7FF) as f64 - 1023.0;
    let f = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000) - 1.0;
    let log2 = e + f + f * (1.0 - f) * (0.420_864_537_430_104_4 - 0.156_386_113_376_367_74 * f) + 0.0011;
    log2 * std::f64::consts::LN_2
}

/// The draws that open every trial: the common shock, who honours, and the decision
/// times the decision rules need.
#[inline(always)]
fn open_trial<R: Rng>(
    rng: &mut R,
    k: &Kernel,
    bounds: &mut [u64],
    responding: &mut [u64],
    decided: &mut [f64],
) {
    let common: f64 = rng.sample(StandardNormal);
    conditional_bounds(k, common, bounds);
    honour(rng, k, bounds, responding);
    for &i in &k.early {
        if contains(responding, i) {
            decided[i] = k.lanes[i].decide.draw(rng);
        }
    }
}

/// The decision rules. A body decides only with enough of its members; its decision
/// comes when the last needed member is ready. A follower acts only with its leader.
fn apply_rules(k: &Kernel, responding: &mut [u64], decided: &mut [f64], order: &mut Vec<(f64, usize)>) {
    for (members, need) in &k.groups {
        order.clear();
        order.extend(
            members
                .iter()
                .filter(|&&m| contains(responding, m))
                .map(|&m| (decided[m], m)),
        );
        if order.len() < *need {
            for &m in members {
                responding[m / 64] &= !(1 << (m % 64));
            }
            continue;
        }
        order.sort_by(|x, y| x.0.total_cmp(&y.0));
        let when = order[*need - 1].0;
        for &(_, m) in order.iter() {
            decided[m] = decided[m].max(when);
        }
    }
    for &(i, leader) in &k.followers {
        if contains(responding, i) {
            if contains(responding, leader) {
                decided[i] = decided[i].max(decided[leader]);
            } else {
                responding[i / 64] &= !(1 << (i % 64));
            }
        }
    }
}

/// Runs `count` trials of block `block` for one option.
fn run_block(k: &Kernel, seed: u64, block: u64, count: u64, keep: bool) -> OptionRun {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(seed, block));
    let mut second = Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ PARITY_STREAM, block));
    let mut parity = ParityScratch::new(k);
    let n = k.lanes.len();
    let mut tally = Tally::new(n);
    let mut records = TrialRecords::new(if keep { k.obligors } else { 0 });
    // Which obligors responded, and with force (kept trials only).
    let words = if keep { k.obligors.div_ceil(64) } else { 0 };
    let mut sets = [vec![0u64; words], vec![0u64; words]];
    let mut responding: LaneSet = vec![0; k.all.len()];
    let mut decided = vec![0.0f64; n];
    let mut order: Vec<(f64, usize)> = Vec::with_capacity(n);
    let mut bounds = vec![0u64; k.thresholds.len()];
    let mut deploy = Vec::with_capacity(n);
    let mut lane_counts = LaneCounts::new(responding.len());
    let gated = k.gated();
    for t in 0..count {
        open_trial(&mut rng, k, &mut bounds, &mut responding, &mut decided);
        if gated {
            apply_rules(k, &mut responding, &mut decided, &mut order);
        }
        let any = responding.iter().any(|&w| w != 0);
        let support = intersects(&responding, &k.support);
        let military = intersects(&responding, &k.military);
        let nuclear = intersects(&responding, &k.nuclear);
        let lead = intersects(&responding, &k.lead_military);
        lane_counts.add(&responding);
        let committed = if k.capability_known {
            committed(k, &responding)
        } else {
            0.0
        };
        // Parity is possible only if everything committed reaches the attacker's.
        let parity_possible = military && k.capability_known && committed / k.attacker_capability >= 1.0;
        let first = if military {
            let arrive = parity_possible.then_some(&mut parity.arrive);
            earliest(&mut rng, k, &responding, &decided, &mut deploy, arrive)
        } else {
            f64::INFINITY
        };
        let parity_days = if parity_possible {
            parity_time(&mut second, k, &decided, &deploy, &mut parity)
        } else {
            f64::INFINITY
        };
        tally.trials += 1;
        tally.any_response += u64::from(any);
        tally.any_support += u64::from(support);
        tally.any_military += u64::from(military);
        tally.nuclear_military += u64::from(nuclear);
        tally.lead_military += u64::from(lead);
        if military {
            tally.within_7 += u64::from(first <= 7.0);
            tally.within_30 += u64::from(first <= 30.0);
            tally.record_time(first);
        }
        let ratio = if k.capability_known {
            committed / k.attacker_capability
        } else {
            f64::NAN
        };
        if k.capability_known {
            tally.record_capability(ratio);
            for (c, &m) in tally.cap_ge.iter_mut().zip(&CAPABILITY_MULTIPLES) {
                *c += u64::from(ratio >= m);
            }
            tally.record_parity(parity_days);
        }
        if keep {
            let [all, force] = &mut sets;
            obligor_sets(k, &responding, all, force);
            let count = |s: &[u64]| s.iter().map(|w| w.count_ones()).sum();
            let record = TrialRecord {
                trial: block * BLOCK + t,
                responders: count(all),
                military_responders: count(force),
                first_military_days: if military { first } else { f64::NAN },
                capability_ratio: ratio,
                lead_military: lead,
                parity_days: if k.capability_known { parity_days } else { f64::NAN },
            };
            records.push(record, all, force);
        }
    }
    lane_counts.add_to(&mut tally.responded);
    OptionRun { tally, records }
}

/// What the responders commit: each obligor what the strongest obligation it honours asks.
#[inline(always)]
fn committed(k: &Kernel, responding: &[u64]) -> f64 {
    // Sums go to four accumulators in turn: one chain of additions would stall.
    let mut sums = [0.0f64; 4];
    let (mut own, mut last, mut n) = (0.0f64, u32::MAX, 0);
    for_each_member(responding, &k.all, |i| {
        let lane = &k.lanes[i];
        if lane.obligor != last {
            sums[n & 3] += own;
            (own, last, n) = (0.0, lane.obligor, n + 1);
        }
        if lane.capability > own {
            own = lane.capability;
        }
    });
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + own
}

/// The obligors that respond, and those of them that respond with force, as sets over
/// the option's obligors (an obligor with several lanes is in a set once).
fn obligor_sets(k: &Kernel, responding: &[u64], all: &mut [u64], military: &mut [u64]) {
    all.fill(0);
    military.fill(0);
    for_each_member(responding, &k.all, |i| {
        let lane = &k.lanes[i];
        let (w, bit) = (lane.obligor as usize / 64, 1u64 << (lane.obligor % 64));
        all[w] |= bit;
        if lane.military {
            military[w] |= bit;
        }
    });
}

/// The cost of the randomness alone: exactly the draws `run_block` makes for the same
/// seed, with only the comparisons that decide which numbers are drawn (the conditional
/// honour bounds, and the running earliest arrival that decides which delays are still
/// drawn). Exact for options without bodies or followers, like the benchmark's.
pub fn draw_only(p: &Prepared, seed: u64, block: u64, count: u64) -> f64 {
    let k = Kernel::new(p);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(seed, block));
    let mut bounds = vec![0u64; k.thresholds.len()];
    let mut responding: LaneSet = vec![0; k.all.len()];
    let mut decided = vec![0.0f64; k.lanes.len()];
    let mut deploy = Vec::with_capacity(k.lanes.len());
    let mut second = Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ PARITY_STREAM, block));
    let mut parity = ParityScratch::new(&k);
    let mut acc = 0.0;
    for _ in 0..count {
        open_trial(&mut rng, &k, &mut bounds, &mut responding, &mut decided);
        if intersects(&responding, &k.military) {
            let parity_possible =
                k.capability_known && committed(&k, &responding) / k.attacker_capability >= 1.0;
            let arrive = parity_possible.then_some(&mut parity.arrive);
            acc += earliest(&mut rng, &k, &responding, &decided, &mut deploy, arrive);
            if parity_possible {
                // The second stream's draws for the responders `earliest` skipped.
                for (&(log, i), &t) in deploy.iter().zip(&parity.arrive) {
                    if t.is_nan() {
                        let lane = &k.lanes[i as usize];
                        let decide = if lane.decide_early {
                            0.0
                        } else {
                            lane.decide.draw(&mut second)
                        };
                        acc += log + lane.approve.draw(&mut second) + decide;
                    }
                }
            }
        }
    }
    acc
}

/// The largest standard error among the probabilities a run reports.
fn worst_stderr(t: &Tally) -> f64 {
    [
        t.any_response,
        t.any_support,
        t.any_military,
        t.nuclear_military,
        t.lead_military,
        t.within_7,
        t.within_30,
        t.cap_ge[0],
        t.cap_ge[1],
        t.cap_ge[2],
    ]
    .iter()
    .map(|&k| crate::stats::Estimate::proportion(k, t.trials).stderr)
    .fold(0.0, f64::max)
}

/// Runs `trials` trials of every option on the calling thread, blocks in index order: the
/// same tallies as [`run`] with the same seed and a fixed count. For callers that
/// parallelise over something else (the parameter draws of a second-order run).
pub fn run_serial(options: &[Prepared], trials: u64, seed: u64) -> Vec<OptionRun> {
    options
        .iter()
        .map(|p| {
            let k = Kernel::new(p);
            let mut tally = Tally::new(p.guarantors.len());
            for b in 0..trials.div_ceil(BLOCK) {
                let count = BLOCK.min(trials - b * BLOCK);
                tally.merge(&run_block(&k, seed, b, count, false).tally);
            }
            OptionRun {
                tally,
                records: TrialRecords::default(),
            }
        })
        .collect()
}

/// Runs every option with the same seed (common random numbers where the options'
/// structures align). `progress(done, planned)` is called after each batch. With
/// `keep_trials`, every option's records are kept in its `records`.
pub fn run(options: &[Prepared], cfg: &RunConfig, progress: &mut dyn FnMut(u64, u64)) -> Vec<OptionRun> {
    run_into(options, cfg, progress, None)
}

/// [`run`], with per-trial records (when `keep_trials`) handed to `sink` batch by batch
/// instead of kept.
pub fn run_into(
    options: &[Prepared],
    cfg: &RunConfig,
    progress: &mut dyn FnMut(u64, u64),
    mut sink: Option<&mut dyn TrialSink>,
) -> Vec<OptionRun> {
    let kernels: Vec<Kernel> = options.iter().map(Kernel::new).collect();
    let mut out: Vec<OptionRun> = options
        .iter()
        .map(|p| OptionRun {
            tally: Tally::new(p.guarantors.len()),
            records: TrialRecords::new(p.obligors()),
        })
        .collect();
    if let Some(sink) = sink.as_deref_mut().filter(|_| cfg.keep_trials) {
        sink.begin(
            &options
                .iter()
                .map(crate::trials::obligor_actors)
                .collect::<Vec<_>>(),
        );
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads.max(1))
        .build();
    let planned = cfg.trials.unwrap_or(cfg.max_trials);
    let mut next_block = 0u64;
    let mut done = 0u64;
    loop {
        let remaining = planned.saturating_sub(done);
        if remaining == 0 {
            break;
        }
        let batch = if cfg.trials.is_some() {
            FIXED_BATCH_BLOCKS
        } else {
            BATCH_BLOCKS
        };
        let blocks: Vec<(u64, u64)> = (0..batch)
            .map(|i| (next_block + i, BLOCK.min(remaining.saturating_sub(i * BLOCK))))
            .filter(|(_, c)| *c > 0)
            .collect();
        next_block += blocks.len() as u64;
        let work = || -> Vec<Vec<OptionRun>> {
            blocks
                .par_iter()
                .map(|&(b, c)| {
                    kernels
                        .iter()
                        .map(|k| run_block(k, cfg.seed, b, c, cfg.keep_trials))
                        .collect()
                })
                .collect()
        };
        let results = match &pool {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        };
        let mut stop = false;
        if let Some(sink) = sink.as_deref_mut().filter(|_| cfg.keep_trials) {
            'emit: for o in 0..out.len() {
                for per_block in &results {
                    if sink.trials(o, &per_block[o].records).is_break() {
                        stop = true;
                        break 'emit;
                    }
                }
            }
        }
        let keep = sink.is_none();
        for per_block in results {
            for (o, r) in out.iter_mut().zip(per_block) {
                o.tally.merge(&r.tally);
                if keep {
                    o.records.append(r.records);
                }
            }
        }
        done = out.first().map_or(planned, |o| o.tally.trials);
        progress(done, planned);
        if stop {
            break;
        }
        if cfg.trials.is_none() && out.iter().all(|o| worst_stderr(&o.tally) <= cfg.precision) {
            break;
        }
        if options.is_empty() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::ln_upper_bound;

    #[test]
    fn ln_upper_bound_is_an_upper_bound_and_close() {
        let mut x = 1e-300f64;
        while x < 1e300 {
            for y in [x, x * 1.000_123, x * 1.5, x * 1.999_9] {
                let (bound, exact) = (ln_upper_bound(y), y.ln());
                assert!(
                    bound >= exact && bound - exact <= 0.0013,
                    "x = {y}: {bound} vs {exact}"
                );
            }
            x *= 1.618;
        }
        // Every mantissa pattern of one octave, finely.
        for i in 0..1_000_000u64 {
            let y = f64::from_bits(0x3FF0_0000_0000_0000 | (i * 4_503_599_627));
            assert!(ln_upper_bound(y) >= y.ln(), "x = {y}");
        }
        assert!(ln_upper_bound(0.0) > f64::NEG_INFINITY);
        assert!(
            ln_upper_bound(f64::MIN_POSITIVE / 3.0) >= (f64::MIN_POSITIVE / 3.0).ln(),
            "subnormal"
        );
    }
}
