//! The parameters the credibility model reads, by id. Their values live in data
//! (`library/priors/credibility.toml`, overridable per assessment and per actor); this
//! list only names them, so that files can be checked ("did you mean") and documented.

use crate::words::Unit;

pub struct ParamSpec {
    pub id: &'static str,
    pub unit: Unit,
    pub about: &'static str,
}

macro_rules! params {
    ($($id:literal : $unit:ident = $about:literal),+ $(,)?) => {
        pub const PARAMETERS: &[ParamSpec] = &[$(ParamSpec { id: $id, unit: Unit::$unit, about: $about }),+];
    };
}

params! {
    "honour.base_rate": Probability = "probability that an obligor honours a triggered defence commitment, before the effects below",
    "honour.strength.consult": LogOdds = "effect on the log-odds of honouring when what is owed is consultation",
    "honour.strength.seek_un_action": LogOdds = "effect when what is owed is seeking UN Security Council action",
    "honour.strength.assist": LogOdds = "effect when what is owed is assistance (aid, equipment)",
    "honour.strength.action_deemed_necessary": LogOdds = "effect when what is owed is such action as the obligor deems necessary",
    "honour.strength.military_assistance": LogOdds = "effect when what is owed is all the military aid in the obligor's power",
    "honour.binding.legal": LogOdds = "effect of a legally binding text",
    "honour.binding.disputed": LogOdds = "effect of a text whose bindingness is disputed",
    "honour.binding.political": LogOdds = "effect of a politically binding text only",
    "honour.binding.none": LogOdds = "effect of a text that binds nobody",
    "honour.institution.integrated_command": LogOdds = "effect of an integrated military command",
    "honour.institution.standing_body": LogOdds = "effect of a standing political body",
    "honour.tripwire": LogOdds = "effect of the obligor's own forces stationed in the attacked state",
    "honour.attacker_nuclear": LogOdds = "effect of a nuclear-armed attacker",
    "honour.capability": LogOdds = "effect per tenfold of the obligor's capability score relative to the attacker's (log10 of the ratio, clamped to [-3, 1])",
    "honour.major_power": LogOdds = "effect of the obligor being a major power (COW's list)",
    "honour.proximity": LogOdds = "effect per tenfold of nearness to the attacked state: log10(1,000 km / distance between the gazetteer's points), clamped to [-1.5, 1]",
    "honour.stake": LogOdds = "the user's view of an obligor's stake (give it per actor)",
    "honour.common_shock": Correlation = "correlation of guarantors' decisions (a common shock: they often decide together or follow the strongest)",
    "approval.constitutional_processes.p": Probability = "probability that a required constitutional process authorises action",
    "approval.legislative_approval.p": Probability = "probability that a required legislative vote authorises action",
    "approval.executive.p": Probability = "probability that an executive decision authorises action",
    "approval.constitutional_processes.median_days": Days = "median days for a constitutional process",
    "approval.legislative_approval.median_days": Days = "median days for a legislative vote",
    "approval.executive.median_days": Days = "median days for an executive decision",
    "delay.approval.sigma": LogSd = "spread (log-normal sigma) of approval delays",
    "delay.decision.individual.median_days": Days = "median days from the attack to an obligor's own decision",
    "delay.decision.consensus.median_days": Days = "median days from the attack to a body's consensus decision (per member, the slowest decides)",
    "delay.decision.single_actor.median_days": Days = "median days for the deciding actor of a single-actor guarantee",
    "delay.decision.sigma": LogSd = "spread (log-normal sigma) of decision delays",
    "delay.deploy.stationed.median_days": Days = "median days from decision to forces engaged when forces are already stationed in the attacked state",
    "delay.deploy.remote.median_days": Days = "median days from decision to forces arriving from outside",
    "delay.deploy.sigma": LogSd = "spread (log-normal sigma) of deployment delays",
    "capability.share.assist": Fraction = "share of its capability an obligor commits when it gives assistance",
    "capability.share.action_deemed_necessary": Fraction = "share committed when it takes the action it deems necessary",
    "capability.share.military_assistance": Fraction = "share committed when it gives all the military aid in its power",
    "accession.holdout.median_days": Days = "median days for a member with conditions to consent or ratify, when history gives fewer than two cases",
    "accession.holdout.sigma": LogSd = "spread of a holdout's delay when history gives fewer than two cases",
    "accession.invitation_to_protocol.median_days": Days = "median days from invitation to protocol signature, when history gives none",
    "accession.deposit.median_days": Days = "median days from the last ratification to accession, when history gives none",
    "accession.procedure_pooling_weight": Count = "observations a procedure type needs to weigh as much as the pooled median in its own fit",
    "accession.opposes_change_per_year": Rate = "rate at which a member opposed to a candidate changes its position, per year",
    "accession.unknown.p_supports": Probability = "for a member with no recorded stance on a candidate: prior probability that it supports",
    "accession.unknown.p_conditional": Probability = "for a member with no recorded stance: prior probability that it sets conditions (a holdout)",
    "accession.unknown.p_opposes": Probability = "for a member with no recorded stance: prior probability that it opposes",
}

pub fn spec(id: &str) -> Option<&'static ParamSpec> {
    PARAMETERS.iter().find(|p| p.id == id)
}
