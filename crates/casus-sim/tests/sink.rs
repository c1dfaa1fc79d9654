//! Per-trial records streamed to a sink (#16 item 4): the same records, in a fixed order at
//! any thread count, none kept in memory, and a sink can stop the run. Each record names
//! which obligors responded, and which with force (#12).

mod common;

use std::ops::ControlFlow;

use casus_model::ActorId;
use casus_sim::prepare::{Guarantor, Prepared};
use casus_sim::trials::members;
use casus_sim::{run, run_into, RunConfig, TrialRecord, TrialRecords, TrialSink};

fn option(p: f64) -> Prepared {
    let g = Guarantor {
        deploy: common::days(2.0),
        capability: Some(0.4),
        ..common::guarantor(0, p)
    };
    let mut h = g.clone();
    h.actor = ActorId(1);
    h.p_honour = p / 2.0;
    Prepared {
        guarantors: vec![g, h],
        groups: vec![],
        rho: 0.3,
        attacker_capability: Some(1.0),
        lead: None,
    }
}

fn cfg(trials: u64, threads: usize) -> RunConfig {
    RunConfig {
        trials: Some(trials),
        precision: 0.0,
        max_trials: trials,
        seed: 5,
        threads,
        keep_trials: true,
    }
}

/// A trial as the sink saw it: its record, and the obligors that responded (with force) by index.
type Row = (usize, TrialRecord, Vec<usize>, Vec<usize>);

#[derive(Default)]
struct Collect {
    obligors: Vec<Vec<ActorId>>,
    begun: usize,
    rows: Vec<Row>,
    calls: usize,
    stop_after: Option<usize>,
}

impl TrialSink for Collect {
    fn begin(&mut self, obligors: &[Vec<ActorId>]) {
        self.begun += 1;
        self.obligors = obligors.to_vec();
    }

    fn trials(&mut self, option: usize, records: &TrialRecords) -> ControlFlow<()> {
        self.calls += 1;
        self.rows.extend(records.trials().map(|t| {
            (
                option,
                *t.record,
                members(t.responded).collect(),
                members(t.responded_military).collect(),
            )
        }));
        match self.stop_after {
            Some(n) if self.calls >= n => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        }
    }
}

type Bits = (u64, u32, u32, u64, u64, bool, u64, Vec<usize>, Vec<usize>);

fn bits(r: &TrialRecord, responded: Vec<usize>, military: Vec<usize>) -> Bits {
    (
        r.trial,
        r.responders,
        r.military_responders,
        r.first_military_days.to_bits(),
        r.capability_ratio.to_bits(),
        r.lead_military,
        r.parity_days.to_bits(),
        responded,
        military,
    )
}

fn kept_bits(k: &TrialRecords) -> Vec<Bits> {
    k.trials()
        .map(|t| {
            bits(
                t.record,
                members(t.responded).collect(),
                members(t.responded_military).collect(),
            )
        })
        .collect()
}

#[test]
fn streamed_records_are_the_kept_records_in_a_fixed_order_at_any_thread_count() {
    let options = [option(0.7), option(0.4)];
    let n = 100_000;
    let kept = run(&options, &cfg(n, 1), &mut |_, _| {});
    let mut first: Option<Vec<Row>> = None;
    for threads in [1, 2, 8] {
        let mut sink = Collect::default();
        let streamed = run_into(&options, &cfg(n, threads), &mut |_, _| {}, Some(&mut sink));
        // Nothing kept in memory; tallies unchanged.
        assert!(streamed.iter().all(|o| o.records.is_empty()));
        for (a, b) in streamed.iter().zip(&kept) {
            assert_eq!(format!("{:?}", a.tally), format!("{:?}", b.tally));
        }
        assert_eq!(sink.rows.len(), 2 * n as usize);
        assert_eq!(sink.begun, 1);
        assert_eq!(sink.obligors, vec![vec![ActorId(0), ActorId(1)]; 2]);
        // Each option's records are the kept ones, in trial order, obligor sets included.
        for (o, k) in kept.iter().enumerate() {
            let mine: Vec<_> = sink
                .rows
                .iter()
                .filter(|r| r.0 == o)
                .map(|r| bits(&r.1, r.2.clone(), r.3.clone()))
                .collect();
            assert!(mine == kept_bits(&k.records), "option {o} at {threads} threads");
        }
        // Batch by batch, option by option: the interleaving too is fixed.
        let order: Vec<(usize, u64)> = sink.rows.iter().map(|r| (r.0, r.1.trial)).collect();
        match &first {
            None => first = Some(sink.rows.clone()),
            Some(f) => assert!(
                f.iter().map(|r| (r.0, r.1.trial)).collect::<Vec<_>>() == order,
                "{threads} threads"
            ),
        }
    }
}

#[test]
fn a_sink_can_stop_the_run() {
    let options = [option(0.7)];
    let mut sink = Collect {
        stop_after: Some(1),
        ..Default::default()
    };
    let r = run_into(&options, &cfg(1_000_000, 2), &mut |_, _| {}, Some(&mut sink));
    assert!(r[0].tally.trials < 1_000_000, "{} trials", r[0].tally.trials);
    assert_eq!(sink.calls, 1);
}

/// 70 obligors (two words of bits): actor `i` honours with force with probability
/// 0.1 + 0.01·i, independently; obligor 5 has two lanes (aid, then force: one draw, so it
/// aids whenever it fights), obligor 6 only aids.
fn many() -> Prepared {
    let mut guarantors = Vec::new();
    for i in 0..70u32 {
        let g = common::guarantor(i, 0.1 + 0.01 * f64::from(i));
        if i == 5 {
            let aid = Guarantor {
                military: false,
                p_honour: 0.9,
                ..g.clone()
            };
            guarantors.push(aid);
            guarantors.push(Guarantor {
                same_as_previous: true,
                ..g
            });
        } else if i == 6 {
            guarantors.push(Guarantor { military: false, ..g });
        } else {
            guarantors.push(g);
        }
    }
    Prepared {
        guarantors,
        groups: vec![],
        rho: 0.0,
        attacker_capability: None,
        lead: None,
    }
}

#[test]
fn records_name_the_obligors_that_responded_and_those_with_force() {
    let p = many();
    let n = 20_000;
    let mut sink = Collect::default();
    run_into(
        std::slice::from_ref(&p),
        &cfg(n, 2),
        &mut |_, _| {},
        Some(&mut sink),
    );
    let ids: Vec<ActorId> = (0..70).map(ActorId).collect();
    assert_eq!(sink.obligors, vec![ids]);
    let mut responded = [0u64; 70];
    let mut military = [0u64; 70];
    for (_, r, all, force) in &sink.rows {
        // The counts are the sets' sizes; force implies a response; indices are in order.
        assert_eq!(all.len(), r.responders as usize);
        assert_eq!(force.len(), r.military_responders as usize);
        assert!(force.iter().all(|i| all.contains(i)));
        assert!(all.windows(2).all(|w| w[0] < w[1]) && all.iter().all(|&i| i < 70));
        for &i in all {
            responded[i] += 1;
        }
        for &i in force {
            military[i] += 1;
        }
    }
    let share = |k: u64| k as f64 / n as f64;
    // Four standard errors of a proportion near 0.5 at 20,000 trials: 0.014.
    for i in [0, 20, 69] {
        let p = 0.1 + 0.01 * i as f64;
        assert!((share(responded[i]) - p).abs() < 0.015, "obligor {i}");
        assert_eq!(
            responded[i], military[i],
            "obligor {i} fights whenever it answers"
        );
    }
    // Obligor 5 aids with 0.9 and fights with 0.15 (the same draw): counted once in each set.
    assert!((share(responded[5]) - 0.9).abs() < 0.015);
    assert!((share(military[5]) - 0.15).abs() < 0.015);
    // Obligor 6 only aids.
    assert!((share(responded[6]) - 0.16).abs() < 0.015);
    assert_eq!(military[6], 0);
}

#[test]
fn kept_records_carry_the_same_sets_as_streamed_ones() {
    let p = many();
    let kept = run(std::slice::from_ref(&p), &cfg(5000, 1), &mut |_, _| {});
    let mut sink = Collect::default();
    run_into(
        std::slice::from_ref(&p),
        &cfg(5000, 8),
        &mut |_, _| {},
        Some(&mut sink),
    );
    let streamed: Vec<Bits> = sink
        .rows
        .iter()
        .map(|r| bits(&r.1, r.2.clone(), r.3.clone()))
        .collect();
    assert!(streamed == kept_bits(&kept[0].records));
}
