//! The input of every model: issues, actors and their stakes.

/// One actor's stake in one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Stake {
    /// The actor's id.
    pub actor: String,
    /// Clout: any positive scale, only ratios matter.
    pub capability: f64,
    /// The outcome the actor wants, on the issue's scale.
    pub position: f64,
    /// How much the issue matters to the actor, 0–1 (files give 0–100).
    pub salience: f64,
    /// The worst outcome the actor accepts (reservation value), if it has declared one.
    /// Acceptable outcomes are those at least as close to `position` as the red line.
    pub red_line: Option<f64>,
    /// Where the numbers come from: a dated source, or a sentence beginning "assumption".
    pub basis: String,
}

impl Stake {
    pub fn new(actor: impl Into<String>, capability: f64, position: f64, salience: f64) -> Self {
        Self {
            actor: actor.into(),
            capability,
            position,
            salience,
            red_line: None,
            basis: String::new(),
        }
    }

    /// Capability × salience: the weight of the actor on this issue.
    pub fn weight(&self) -> f64 {
        self.capability * self.salience
    }

    /// Whether `x` is acceptable to the actor (always, without a red line).
    pub fn accepts(&self, x: f64) -> bool {
        match self.red_line {
            None => true,
            Some(r) => (x - self.position).abs() <= (r - self.position).abs() + 1e-9,
        }
    }

    /// The acceptable interval `[lo, hi]` within the issue's bounds.
    pub fn acceptable(&self, lo: f64, hi: f64) -> (f64, f64) {
        match self.red_line {
            None => (lo, hi),
            Some(r) => {
                let d = (r - self.position).abs();
                ((self.position - d).max(lo), (self.position + d).min(hi))
            }
        }
    }
}

/// One issue: a continuum from `lo` to `hi`.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub id: String,
    pub name: String,
    pub lo: f64,
    pub hi: f64,
    /// What the low and the high end mean.
    pub lo_label: String,
    pub hi_label: String,
    /// The status quo / reference point (what happens without agreement), if known.
    pub status_quo: Option<f64>,
    pub status_quo_basis: String,
    pub stakes: Vec<Stake>,
}

impl Issue {
    /// An issue whose range is that of the positions (as in a CSV of one issue).
    pub fn from_stakes(id: impl Into<String>, stakes: Vec<Stake>) -> Self {
        let lo = stakes.iter().map(|s| s.position).fold(f64::INFINITY, f64::min);
        let hi = stakes
            .iter()
            .map(|s| s.position)
            .fold(f64::NEG_INFINITY, f64::max);
        let id = id.into();
        Self {
            name: id.clone(),
            id,
            lo: if lo.is_finite() { lo } else { 0.0 },
            hi: if hi.is_finite() { hi } else { 0.0 },
            lo_label: String::new(),
            hi_label: String::new(),
            status_quo: None,
            status_quo_basis: String::new(),
            stakes,
        }
    }

    pub fn range(&self) -> f64 {
        self.hi - self.lo
    }

    pub fn stake(&self, actor: &str) -> Option<&Stake> {
        self.stakes.iter().find(|s| s.actor == actor)
    }
}

/// One party at the talks: who it is, and the capability it brings to bear.
#[derive(Debug, Clone, PartialEq)]
pub struct Negotiator {
    pub id: String,
    pub name: String,
    pub capability: f64,
    pub basis: String,
}

/// Talks: several issues among the same negotiators, and the parties whose consent makes a deal
/// (a negotiation scenario file, or one issue read from a CSV).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Talks {
    pub id: String,
    pub title: String,
    /// The date the positions describe (ISO text, as written).
    pub date: String,
    pub actors: Vec<Negotiator>,
    /// Actors whose consent a deal needs (their red lines bound the zone of agreement).
    pub parties: Vec<String>,
    pub issues: Vec<Issue>,
    pub notes: Vec<String>,
}

impl Talks {
    pub fn actor(&self, id: &str) -> Option<&Negotiator> {
        self.actors.iter().find(|a| a.id == id)
    }
}
