//! The Monte Carlo kernel. Trials come in blocks; each block has its own random stream,
//! derived from the master seed and the block's index (never from the thread that runs
//! it), and blocks are merged in index order: the same seed gives bit-identical results
//! with any number of threads.

use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

use crate::prepare::{normal_threshold, Gate, Prepared};
use crate::stats::Tally;

pub const BLOCK: u64 = 1024;
/// Blocks per batch: the stopping rule of `--precision` is checked after each batch.
pub const BATCH_BLOCKS: u64 = 8;

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

/// One trial's outcome, for `--out` per-trial files.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrialRecord {
    pub trial: u64,
    pub responders: u32,
    pub military_responders: u32,
    pub first_military_days: f64,
    pub capability_ratio: f64,
}

#[derive(Debug, Clone)]
pub struct OptionRun {
    pub tally: Tally,
    pub records: Vec<TrialRecord>,
}

/// SplitMix64: decorrelates block seeds that differ in one bit.
pub fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Precomputed per-guarantor numbers in flat arrays (the hot loop reads only these).
struct Kernel {
    n: usize,
    a: f64,
    b: f64,
    threshold: Vec<f64>,
    p_approve: Vec<f64>,
    military: Vec<bool>,
    support: Vec<bool>,
    nuclear: Vec<bool>,
    capability: Vec<f64>,
    followers: Vec<(usize, usize)>,
    groups: Vec<(Vec<usize>, usize)>,
    capability_known: bool,
    attacker_capability: f64,
}

impl Kernel {
    fn new(p: &Prepared) -> Self {
        let rho = p.rho.clamp(0.0, 1.0);
        let g = &p.guarantors;
        Self {
            n: g.len(),
            a: rho.sqrt(),
            b: (1.0 - rho).sqrt(),
            threshold: g.iter().map(|g| normal_threshold(g.p_honour)).collect(),
            p_approve: g.iter().map(|g| g.p_approve).collect(),
            military: g.iter().map(|g| g.military).collect(),
            support: g.iter().map(|g| g.support).collect(),
            nuclear: g.iter().map(|g| g.nuclear).collect(),
            capability: g.iter().map(|g| g.capability.unwrap_or(0.0)).collect(),
            followers: g.iter().enumerate().filter_map(|(i, g)| if let Gate::Follows(j) = g.gate { Some((i, j)) } else { None }).collect(),
            groups: p.groups.iter().map(|g| (g.members.clone(), g.need)).collect(),
            capability_known: p.capability_known(),
            attacker_capability: p.attacker_capability.unwrap_or(1.0),
        }
    }
}

/// Runs `count` trials of block `block` for one option.
fn run_block(p: &Prepared, k: &Kernel, seed: u64, block: u64, count: u64, keep: bool) -> OptionRun {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(seed, block));
    let mut tally = Tally::new(k.n);
    let mut records = Vec::new();
    let n = k.n;
    let mut responds = vec![false; n];
    let mut z_decide = vec![0.0f64; n];
    let mut z_approve = vec![0.0f64; n];
    let mut z_deploy = vec![0.0f64; n];
    let mut decide = vec![0.0f64; n];
    let mut order: Vec<(f64, usize)> = Vec::with_capacity(n);
    for t in 0..count {
        let common: f64 = rng.sample(StandardNormal);
        for i in 0..n {
            let own: f64 = rng.sample(StandardNormal);
            let u: f64 = rng.random();
            z_decide[i] = rng.sample(StandardNormal);
            z_approve[i] = rng.sample(StandardNormal);
            z_deploy[i] = rng.sample(StandardNormal);
            responds[i] = k.a * common + k.b * own < k.threshold[i] && u < k.p_approve[i];
            if responds[i] {
                decide[i] = p.guarantors[i].decide.sample(z_decide[i]);
            }
        }
        // A body decides only with enough of its members; its decision comes when the
        // last needed member is ready.
        for (members, need) in &k.groups {
            order.clear();
            order.extend(members.iter().filter(|&&m| responds[m]).map(|&m| (decide[m], m)));
            if order.len() < *need {
                for &m in members {
                    responds[m] = false;
                }
                continue;
            }
            order.sort_by(|x, y| x.0.total_cmp(&y.0));
            let when = order[*need - 1].0;
            for &(_, m) in order.iter() {
                decide[m] = decide[m].max(when);
            }
        }
        for &(i, leader) in &k.followers {
            responds[i] = responds[i] && responds[leader];
            if responds[i] {
                decide[i] = decide[i].max(decide[leader]);
            }
        }
        let (mut any, mut support, mut military, mut nuclear) = (false, false, false, false);
        let (mut first, mut committed, mut count_resp, mut count_mil) = (f64::INFINITY, 0.0, 0u32, 0u32);
        for i in 0..n {
            if !responds[i] {
                continue;
            }
            tally.responded[i] += 1;
            any = true;
            count_resp += 1;
            support |= k.support[i];
            committed += k.capability[i];
            if k.military[i] {
                military = true;
                nuclear |= k.nuclear[i];
                count_mil += 1;
                let g = &p.guarantors[i];
                let arrive = decide[i] + g.approve.sample(z_approve[i]) + g.deploy.sample(z_deploy[i]);
                first = first.min(arrive);
            }
        }
        tally.trials += 1;
        tally.any_response += any as u64;
        tally.any_support += support as u64;
        tally.any_military += military as u64;
        tally.nuclear_military += nuclear as u64;
        if military {
            tally.within_7 += (first <= 7.0) as u64;
            tally.within_30 += (first <= 30.0) as u64;
            tally.record_time(first);
        }
        let ratio = if k.capability_known { committed / k.attacker_capability } else { f64::NAN };
        if k.capability_known {
            tally.record_capability(ratio);
        }
        if keep {
            records.push(TrialRecord {
                trial: block * BLOCK + t,
                responders: count_resp,
                military_responders: count_mil,
                first_military_days: if military { first } else { f64::NAN },
                capability_ratio: ratio,
            });
        }
    }
    OptionRun { tally, records }
}

/// The cost of the randomness alone: the same draws as `run_block`, nothing else.
/// Used by the benchmark as the floor the kernel is measured against.
pub fn draw_only(guarantors: usize, seed: u64, block: u64, count: u64) -> f64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(seed, block));
    let mut acc = 0.0;
    for _ in 0..count {
        let common: f64 = rng.sample(StandardNormal);
        acc += common;
        for _ in 0..guarantors {
            let own: f64 = rng.sample(StandardNormal);
            let u: f64 = rng.random();
            let a: f64 = rng.sample(StandardNormal);
            let b: f64 = rng.sample(StandardNormal);
            let c: f64 = rng.sample(StandardNormal);
            acc += own + u + a + b + c;
        }
    }
    acc
}

/// The largest standard error among the probabilities a run reports.
fn worst_stderr(t: &Tally) -> f64 {
    [t.any_response, t.any_support, t.any_military, t.nuclear_military, t.within_7, t.within_30]
        .iter()
        .map(|&k| crate::stats::Estimate::proportion(k, t.trials).stderr)
        .fold(0.0, f64::max)
}

/// Runs every option with the same seed (common random numbers where the options'
/// structures align). `progress(done, planned)` is called after each batch.
pub fn run(options: &[Prepared], cfg: &RunConfig, progress: &mut dyn FnMut(u64, u64)) -> Vec<OptionRun> {
    let kernels: Vec<Kernel> = options.iter().map(Kernel::new).collect();
    let mut out: Vec<OptionRun> = options.iter().map(|p| OptionRun { tally: Tally::new(p.guarantors.len()), records: vec![] }).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(cfg.threads.max(1)).build();
    let planned = cfg.trials.unwrap_or(cfg.max_trials);
    let mut next_block = 0u64;
    let mut done = 0u64;
    loop {
        let remaining = planned.saturating_sub(done);
        if remaining == 0 {
            break;
        }
        let blocks: Vec<(u64, u64)> = (0..BATCH_BLOCKS)
            .map(|i| (next_block + i, BLOCK.min(remaining.saturating_sub(i * BLOCK))))
            .filter(|(_, c)| *c > 0)
            .collect();
        next_block += blocks.len() as u64;
        let work = || -> Vec<Vec<OptionRun>> {
            blocks
                .par_iter()
                .map(|&(b, c)| options.iter().zip(&kernels).map(|(p, k)| run_block(p, k, cfg.seed, b, c, cfg.keep_trials)).collect())
                .collect()
        };
        let results = match &pool {
            Ok(pool) => pool.install(work),
            Err(_) => work(),
        };
        for per_block in results {
            for (o, r) in out.iter_mut().zip(per_block) {
                o.tally.merge(&r.tally);
                o.records.extend(r.records);
            }
        }
        done = out.first().map_or(planned, |o| o.tally.trials);
        progress(done, planned);
        if cfg.trials.is_none() && out.iter().all(|o| worst_stderr(&o.tally) <= cfg.precision) {
            break;
        }
        if options.is_empty() {
            break;
        }
    }
    out
}
