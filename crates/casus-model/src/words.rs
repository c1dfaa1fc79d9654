//! The closed vocabularies of the commitment language. Each word is written in files
//! and in JSON exactly as listed here.

use serde::Serialize;

/// Declares an enum whose variants are written as fixed words.
macro_rules! words {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($word),+] })
            }
        }
    };
}

words! {
    /// What is owed, weakest first. The order is meaningful: `Ord` compares strength.
    Strength {
        Consult = "consult",
        SeekUnAction = "seek_un_action",
        Assist = "assist",
        ActionDeemedNecessary = "action_deemed_necessary",
        MilitaryAssistance = "military_assistance",
    }
}

impl Strength {
    /// Whether the text obliges (or explicitly contemplates) military means.
    pub fn includes_force(self) -> bool {
        self >= Strength::ActionDeemedNecessary
    }
}

words! {
    DocKind {
        Treaty = "treaty",
        ExecutiveAgreement = "executive_agreement",
        PoliticalDeclaration = "political_declaration",
        Memorandum = "memorandum",
        DomesticLaw = "domestic_law",
        Proposal = "proposal",
    }
}

words! {
    /// Whether the document binds in law.
    Binding {
        Legal = "legal",
        Political = "political",
        Disputed = "disputed",
        None = "none",
    }
}

words! {
    /// What a clause does.
    Duty {
        /// Oblige someone to act when triggered.
        Act = "act",
        /// Oblige someone to refrain (negative assurances, non-aggression).
        Refrain = "refrain",
        /// State a policy; creates no obligation.
        Policy = "policy",
        /// Define terms other clauses use (e.g. NAT Art. 6).
        Definition = "definition",
    }
}

words! {
    /// What a trigger needs to have happened.
    TriggerKind {
        /// Any threat to security, or worse.
        Threat = "threat",
        ArmedAttack = "armed_attack",
        /// Aggression or a threat of aggression in which nuclear weapons are used.
        Nuclear = "nuclear",
        /// Nuclear weapons actually used.
        NuclearUse = "nuclear_use",
        EconomicCoercion = "economic_coercion",
    }
}

words! {
    /// What did happen.
    EventKind {
        Threat = "threat",
        ArmedAttack = "armed_attack",
        NuclearThreat = "nuclear_threat",
        NuclearAttack = "nuclear_attack",
        EconomicCoercion = "economic_coercion",
    }
}

impl EventKind {
    pub fn satisfies(self, trigger: TriggerKind) -> bool {
        match trigger {
            TriggerKind::Threat => self != EventKind::EconomicCoercion,
            TriggerKind::ArmedAttack => matches!(self, EventKind::ArmedAttack | EventKind::NuclearAttack),
            TriggerKind::Nuclear => matches!(self, EventKind::NuclearThreat | EventKind::NuclearAttack),
            TriggerKind::NuclearUse => self == EventKind::NuclearAttack,
            TriggerKind::EconomicCoercion => self == EventKind::EconomicCoercion,
        }
    }
}

words! {
    /// What was attacked.
    Object {
        Territory = "territory",
        Forces = "forces",
    }
}

words! {
    /// How grave the event is; triggers may demand a minimum.
    Severity {
        Unspecified = "unspecified",
        Limited = "limited",
        Major = "major",
    }
}

words! {
    Continent {
        Africa = "africa",
        Antarctica = "antarctica",
        Asia = "asia",
        Europe = "europe",
        NorthAmerica = "north_america",
        Oceania = "oceania",
        SouthAmerica = "south_america",
    }
}

words! {
    Ocean {
        NorthAtlantic = "north_atlantic",
        SouthAtlantic = "south_atlantic",
        Caribbean = "caribbean",
        Mediterranean = "mediterranean",
        NorthSea = "north_sea",
        Baltic = "baltic",
        BlackSea = "black_sea",
        Arctic = "arctic",
        NorthPacific = "north_pacific",
        SouthPacific = "south_pacific",
        Indian = "indian",
        Southern = "southern",
    }
}

words! {
    DecisionWord {
        Individual = "individual",
        Consensus = "consensus",
        QualifiedMajority = "qualified_majority",
        SingleActor = "single_actor",
    }
}

words! {
    /// What an obligor needs at home before it acts.
    Requirement {
        ConstitutionalProcesses = "constitutional_processes",
        LegislativeApproval = "legislative_approval",
        Executive = "executive",
        NoneStated = "none_stated",
    }
}

words! {
    /// How well the encoded words were checked against a source.
    Verification {
        Primary = "primary",
        Secondary = "secondary",
        Unverified = "unverified",
        Reported = "reported",
    }
}

words! {
    /// Whose a place must be for a scope region to cover it.
    HeldBy {
        Party = "party",
        Target = "target",
        Any = "any",
    }
}

words! {
    Control {
        Sovereignty = "sovereignty",
        Administration = "administration",
    }
}

words! {
    StatusKind {
        Occupied = "occupied",
        AnnexationClaimed = "annexation_claimed",
        Disputed = "disputed",
        AdministeredBy = "administered_by",
    }
}

words! {
    ExpectStatus {
        Obligation = "obligation",
        NotTriggered = "not_triggered",
        Unknown = "unknown",
        Breached = "breached",
    }
}

words! {
    PlaceKind {
        Country = "country",
        Subdivision = "subdivision",
        Sea = "sea",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_order_is_the_published_scale() {
        let words: Vec<&str> = Strength::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            words,
            [
                "consult",
                "seek_un_action",
                "assist",
                "action_deemed_necessary",
                "military_assistance"
            ]
        );
        assert!(Strength::Consult < Strength::SeekUnAction);
        assert!(Strength::ActionDeemedNecessary < Strength::MilitaryAssistance);
    }

    #[test]
    fn event_kinds_imply_weaker_triggers() {
        assert!(EventKind::NuclearAttack.satisfies(TriggerKind::ArmedAttack));
        assert!(EventKind::ArmedAttack.satisfies(TriggerKind::Threat));
        assert!(!EventKind::ArmedAttack.satisfies(TriggerKind::Nuclear));
        assert!(!EventKind::Threat.satisfies(TriggerKind::ArmedAttack));
        assert!(EventKind::NuclearThreat.satisfies(TriggerKind::Nuclear));
        assert!(!EventKind::NuclearThreat.satisfies(TriggerKind::NuclearUse));
        assert!(!EventKind::ArmedAttack.satisfies(TriggerKind::EconomicCoercion));
        assert!(!EventKind::EconomicCoercion.satisfies(TriggerKind::Threat));
    }
}

words! {
    /// Why a clause does not oblige, or why the answer is unknown. Scenario files name these.
    Reason {
        NotInForce = "not_in_force",
        NotAdopted = "not_adopted",
        TriggerNotMet = "trigger_not_met",
        AttackerNotNamed = "attacker_not_named",
        BelowThreshold = "below_threshold",
        Provoked = "provoked",
        NotBeneficiary = "not_beneficiary",
        OutsideScope = "outside_scope",
        NotTargetsPlace = "not_targets_place",
        NoObligor = "no_obligor",
        Suspended = "suspended",
        PolicyOnly = "policy_only",
        NotBound = "not_bound",
    }
}

words! {
    /// How institutionalised a commitment is (standing bodies, an integrated command).
    Institution {
        IntegratedCommand = "integrated_command",
        StandingBody = "standing_body",
    }
}

words! {
    /// What a parameter measures, which fixes its valid range.
    Unit {
        Probability = "probability",
        LogOdds = "log_odds",
        Correlation = "correlation",
        Days = "days",
        LogSd = "log_sd",
        Fraction = "fraction",
        Count = "count",
        Rate = "rate_per_year",
    }
}

impl Unit {
    pub fn valid(self, v: f64) -> bool {
        v.is_finite()
            && match self {
                Unit::Probability | Unit::Correlation | Unit::Fraction => (0.0..=1.0).contains(&v),
                Unit::Days | Unit::LogSd | Unit::Count | Unit::Rate => v >= 0.0,
                Unit::LogOdds => v.abs() <= 20.0,
            }
    }
}

words! {
    AccessionStep {
        Invitation = "invitation",
        Protocol = "protocol",
        Ratification = "ratification",
        Deposit = "deposit",
    }
}

words! {
    StepRule {
        Consensus = "consensus",
        EachMember = "each_member",
        Candidate = "candidate",
        QualifiedMajority = "qualified_majority",
    }
}

words! {
    /// How a member ratifies: the strata the delay model is fitted by.
    ProcedureKind {
        Executive = "executive",
        LegislativeSimple = "legislative_simple",
        LegislativeSupermajority = "legislative_supermajority",
        Unknown = "unknown",
    }
}

words! {
    Position {
        Supports = "supports",
        Conditional = "conditional",
        /// Holds out without stating opposition or a condition (Hungary on Finland and Sweden).
        Delays = "delays",
        Opposes = "opposes",
    }
}
