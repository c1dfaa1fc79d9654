//! Turning names people type into ids, with "did you mean" when they are wrong.
//! Shared by the file resolver (which adds spans) and the command line.

use casus_syntax::did_you_mean;

use crate::library::{ActorId, CommitmentId, Group, Library, OrgId, PlaceId};

#[derive(Debug, Clone, PartialEq)]
pub struct LookupError {
    pub message: String,
    pub suggestions: Vec<String>,
}

impl LookupError {
    pub fn hints(&self) -> Vec<String> {
        if self.suggestions.is_empty() {
            Vec::new()
        } else {
            vec![format!("did you mean {}?", self.suggestions.join(", "))]
        }
    }
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        for h in self.hints() {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

/// An actor by id (`UKR`), Correlates of War code (`cow:369`) or exact name (`Ukraine`).
pub fn actor(lib: &Library, text: &str) -> Result<ActorId, LookupError> {
    let t = text.trim();
    if let Some(code) = t.strip_prefix("cow:") {
        let n: u16 = code.parse().map_err(|_| LookupError {
            message: format!("`{t}` is not a Correlates of War code (write cow:NNN, e.g. cow:365)"),
            suggestions: vec![],
        })?;
        return lib.actor_by_cow(n, None).ok_or_else(|| LookupError {
            message: format!("no actor has the Correlates of War code {n}"),
            suggestions: vec![],
        });
    }
    if let Some(a) = lib.find_actor(t).or_else(|| lib.find_actor(&t.to_uppercase())) {
        return Ok(a);
    }
    if let Some(a) = lib
        .actor_ids()
        .find(|&a| lib.actor(a).name.eq_ignore_ascii_case(t))
    {
        return Ok(a);
    }
    let mut suggestions = did_you_mean(t, lib.actor_names());
    // A name that is close to an actor's name suggests that actor's id.
    for a in lib.actor_ids() {
        let actor = lib.actor(a);
        if suggestions.len() < 3 && !did_you_mean(t, [actor.name.as_str()]).is_empty() {
            suggestions.push(format!("{} ({})", actor.id, actor.name));
        }
    }
    Err(LookupError {
        message: format!("unknown actor `{t}`"),
        suggestions,
    })
}

/// A place by ISO code (`UA-43`, `US`), an actor's id for its country (`USA`), a sea id, or exact name.
pub fn place(lib: &Library, text: &str) -> Result<PlaceId, LookupError> {
    let t = text.trim();
    if let Some(p) = lib.find_place(t).or_else(|| lib.find_place(&t.to_uppercase())) {
        return Ok(p);
    }
    if let Some(home) = lib.find_actor(&t.to_uppercase()).and_then(|a| lib.actor(a).home) {
        return Ok(home);
    }
    if let Some(i) = lib.places.iter().position(|p| p.name.eq_ignore_ascii_case(t)) {
        return Ok(PlaceId(i as u32));
    }
    let suggestions = did_you_mean(
        t,
        lib.place_names()
            .chain(lib.places.iter().map(|p| p.name.as_str())),
    );
    Err(LookupError {
        message: format!("unknown place `{t}`"),
        suggestions,
    })
}

pub fn org(lib: &Library, text: &str) -> Result<OrgId, LookupError> {
    let t = text.trim();
    lib.find_org(t)
        .or_else(|| lib.find_org(&t.to_uppercase()))
        .ok_or_else(|| LookupError {
            message: format!("unknown organisation `{t}`"),
            suggestions: did_you_mean(t, lib.org_names()),
        })
}

pub fn commitment(lib: &Library, text: &str) -> Result<CommitmentId, LookupError> {
    let t = text.trim();
    lib.find_commitment(t).ok_or_else(|| LookupError {
        message: format!("unknown commitment `{t}`"),
        suggestions: did_you_mean(t, lib.commitment_names()),
    })
}

/// `parties`, `org:NATO`, or an actor.
pub fn group(lib: &Library, text: &str) -> Result<Group, LookupError> {
    let t = text.trim();
    if t == "parties" {
        return Ok(Group::Parties);
    }
    if let Some(o) = t.strip_prefix("org:") {
        return org(lib, o).map(Group::Org);
    }
    actor(lib, t).map(Group::Actor).map_err(|mut e| {
        if e.suggestions.is_empty() && lib.find_org(t).is_some() {
            e.suggestions.push(format!("org:{t}"));
        }
        e
    })
}
