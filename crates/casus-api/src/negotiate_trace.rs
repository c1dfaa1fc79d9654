//! The expected utility model's rounds and perspectives as JSON, produced while they are
//! written: [`RoundsTrace`] and [`PerspectiveTrace`] hold the inputs, and serialising them
//! steps the model again, one round at a time. The JSON has every round (`--rounds` of
//! them) but memory holds one round's n × n work, whatever the number of rounds (#16 item 4:
//! `--rounds 100000` once took 18 GB). An interface that streams (`casus … --format json`
//! writes with `serde_json::to_writer`) stays flat; one that builds a `serde_json::Value`
//! holds the output, not the model's history.

use casus_negotiate::eum::{Model, Player, Round, Settings};
use schemars::JsonSchema;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// Values keyed by actor or issue id, in input order (a JSON object).
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<T: JsonSchema> JsonSchema for Named<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Named_{}", T::schema_name()).into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<String, T>>::json_schema(g)
    }
}

/// What a run of the model needs to be replayed.
#[derive(Debug, Clone)]
pub struct Replay {
    pub players: Vec<Player>,
    pub settings: Settings,
    pub rounds: usize,
    pub actors: Vec<String>,
}

/// One actor's move in a round.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MoveView {
    pub actor: String,
    pub to_actor: String,
    /// `confrontation`, `compromise` or `capitulation`.
    pub kind: String,
    pub from: f64,
    pub to: f64,
}

/// One round of the model.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RoundView {
    pub round: usize,
    pub median: f64,
    pub mean: f64,
    pub positions: Named<f64>,
    pub risk: Named<f64>,
    pub moves: Vec<MoveView>,
}

/// One actor's view of another in one round.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PerspectiveView {
    pub round: usize,
    pub viewer: String,
    pub other: String,
    /// E(viewer challenges other).
    pub challenge: f64,
    /// E(other challenges viewer).
    pub challenged: f64,
    pub octant: String,
}

fn kind_name(k: casus_negotiate::eum::OfferKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

impl Replay {
    pub fn round_view(&self, r: &Round) -> RoundView {
        let a = &self.actors;
        RoundView {
            round: r.round,
            median: r.median,
            mean: r.mean,
            positions: Named(a.iter().cloned().zip(r.positions.iter().copied()).collect()),
            risk: Named(a.iter().cloned().zip(r.risk.iter().copied()).collect()),
            moves: r
                .moves
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    m.map(|m| MoveView {
                        actor: a[i].clone(),
                        to_actor: a[m.to_actor].clone(),
                        kind: kind_name(m.kind),
                        from: m.from,
                        to: m.to,
                    })
                })
                .collect(),
        }
    }

    /// Every round, 0 to `rounds`, one at a time.
    pub fn for_each_round(&self, perspectives: bool, mut f: impl FnMut(Round) -> bool) {
        let mut m = Model::new(&self.players, self.settings);
        if !f(m.initial()) {
            return;
        }
        while m.round() < self.rounds {
            if !f(m.step(perspectives)) {
                return;
            }
        }
    }
}

/// Every round of a run, computed as it is written.
#[derive(Debug, Clone)]
pub struct RoundsTrace(pub Replay);

impl Serialize for RoundsTrace {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.rounds + 1))?;
        let mut err = None;
        self.0
            .for_each_round(false, |r| match seq.serialize_element(&self.0.round_view(&r)) {
                Ok(()) => true,
                Err(e) => {
                    err = Some(e);
                    false
                }
            });
        match err {
            Some(e) => Err(e),
            None => seq.end(),
        }
    }
}

impl JsonSchema for RoundsTrace {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RoundsTrace".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<RoundView>>::json_schema(g)
    }
}

/// Each actor's view of every other in every round, computed as it is written.
#[derive(Debug, Clone)]
pub struct PerspectiveTrace(pub Replay);

impl Serialize for PerspectiveTrace {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        let mut err = None;
        let a = &self.0.actors;
        self.0.for_each_round(true, |r| {
            for (i, row) in r.perspective.iter().enumerate() {
                for (j, v) in row.iter().enumerate() {
                    let Some((c, d)) = *v else { continue };
                    let p = PerspectiveView {
                        round: r.round,
                        viewer: a[i].clone(),
                        other: a[j].clone(),
                        challenge: c,
                        challenged: d,
                        octant: octant(c, d).into(),
                    };
                    if let Err(e) = seq.serialize_element(&p) {
                        err = Some(e);
                        return false;
                    }
                }
            }
            true
        });
        match err {
            Some(e) => Err(e),
            None => seq.end(),
        }
    }
}

impl JsonSchema for PerspectiveTrace {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PerspectiveTrace".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<PerspectiveView>>::json_schema(g)
    }
}

/// The region of Fig. 6 (Scholz et al. 2011) of a pair of expected utilities.
pub fn octant(a: f64, b: f64) -> &'static str {
    match (a > 0.0, b > 0.0) {
        (true, true) if a > b => "confrontation+ (other gives in)",
        (true, true) => "confrontation− (viewer gives in)",
        (true, false) if a > -b => "compromise+ (other moves part way)",
        (true, false) => "compel+",
        (false, true) if b > -a => "compromise− (viewer moves part way)",
        (false, true) => "compel−",
        (false, false) => "stalemate",
    }
}
