//! Per-trial records streamed to a sink (#16 item 4): the same records, in a fixed order at
//! any thread count, none kept in memory, and a sink can stop the run.

mod common;

use std::ops::ControlFlow;

use casus_model::ActorId;
use casus_sim::prepare::{Guarantor, Prepared};
use casus_sim::{run, run_into, RunConfig, TrialRecord, TrialSink};

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

#[derive(Default)]
struct Collect {
    rows: Vec<(usize, TrialRecord)>,
    calls: usize,
    stop_after: Option<usize>,
}

impl TrialSink for Collect {
    fn trials(&mut self, option: usize, records: &[TrialRecord]) -> ControlFlow<()> {
        self.calls += 1;
        self.rows.extend(records.iter().map(|r| (option, *r)));
        match self.stop_after {
            Some(n) if self.calls >= n => ControlFlow::Break(()),
            _ => ControlFlow::Continue(()),
        }
    }
}

fn bits(r: &TrialRecord) -> (u64, u32, u32, u64, u64, bool, u64) {
    (
        r.trial,
        r.responders,
        r.military_responders,
        r.first_military_days.to_bits(),
        r.capability_ratio.to_bits(),
        r.lead_military,
        r.parity_days.to_bits(),
    )
}

#[test]
fn streamed_records_are_the_kept_records_in_a_fixed_order_at_any_thread_count() {
    let options = [option(0.7), option(0.4)];
    let n = 100_000;
    let kept = run(&options, &cfg(n, 1), &mut |_, _| {});
    let mut first: Option<Vec<(usize, TrialRecord)>> = None;
    for threads in [1, 2, 8] {
        let mut sink = Collect::default();
        let streamed = run_into(&options, &cfg(n, threads), &mut |_, _| {}, Some(&mut sink));
        // Nothing kept in memory; tallies unchanged.
        assert!(streamed.iter().all(|o| o.records.is_empty()));
        for (a, b) in streamed.iter().zip(&kept) {
            assert_eq!(format!("{:?}", a.tally), format!("{:?}", b.tally));
        }
        assert_eq!(sink.rows.len(), 2 * n as usize);
        // Each option's records are the kept ones, in trial order.
        for (o, k) in kept.iter().enumerate() {
            let mine: Vec<_> = sink
                .rows
                .iter()
                .filter(|r| r.0 == o)
                .map(|r| bits(&r.1))
                .collect();
            let want: Vec<_> = k.records.iter().map(bits).collect();
            assert!(mine == want, "option {o} at {threads} threads");
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
