//! Reading negotiation files: one issue as CSV (`actor,capability,position,salience`
//! with an optional `red_line` column) or a TOML scenario of several issues. Every
//! problem is a located [`Diagnostic`], all collected in one pass.

use std::ops::Range;

use casus_syntax::{did_you_mean, Diagnostic, SourceFile, Spanned};
use serde::Deserialize;

use crate::{Issue, Negotiator, Stake, Talks};

/// What a parse gives: the value when there is no error, and every diagnostic.
pub struct Parsed<T> {
    pub value: Option<T>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The largest magnitude of a position, red line, issue bound or capability (documented in
/// docs/negotiation.md): beyond it distances and utilities overflow to infinity or NaN, and
/// a model would print "stalemate" for arithmetic that failed.
pub const MAX_MAGNITUDE: f64 = 1e9;

const CSV_COLUMNS: [&str; 5] = ["actor", "capability", "position", "salience", "red_line"];

/// One issue from CSV text. The issue's range is that of the positions; salience is 0–100.
pub fn issue_csv(file: &SourceFile) -> Parsed<Issue> {
    let mut diags = Vec::new();
    let text = &file.text;
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        lines.push((offset, body));
        offset += line.len();
    }
    let fields = |start: usize, body: &str| -> Vec<(Range<usize>, String)> {
        let mut out = Vec::new();
        let mut at = start;
        for f in body.split(',') {
            let lead = f.len() - f.trim_start().len();
            // An empty field points at one character, but never past the end of the file.
            let end = (at + lead + f.trim().len().max(1)).min(text.len());
            out.push((at + lead..end, f.trim().to_string()));
            at += f.len() + 1;
        }
        out
    };
    let mut rows = lines
        .iter()
        .filter(|(_, b)| !b.trim().is_empty() && !b.trim_start().starts_with('#'));
    let Some(&(hstart, header)) = rows.next() else {
        diags.push(Diagnostic::error(
            file,
            0..0,
            "empty file: expected the header `actor,capability,position,salience`",
        ));
        return Parsed {
            value: None,
            diagnostics: diags,
        };
    };
    let head = fields(hstart, header);
    let mut cols = [usize::MAX; 5];
    for (i, (span, name)) in head.iter().enumerate() {
        let lc = name.to_lowercase();
        match CSV_COLUMNS.iter().position(|c| *c == lc) {
            Some(c) if cols[c] == usize::MAX => cols[c] = i,
            Some(_) => diags.push(Diagnostic::error(file, span.clone(), format!("column `{name}` appears twice"))),
            None => diags.push(
                Diagnostic::error(file, span.clone(), format!("unknown column `{name}`; expected actor, capability, position, salience (and optionally red_line)"))
                    .with_hints(did_you_mean(&lc, CSV_COLUMNS).into_iter().map(|s| format!("did you mean `{s}`?"))),
            ),
        }
    }
    for (c, name) in CSV_COLUMNS.iter().enumerate().take(4) {
        if cols[c] == usize::MAX {
            diags.push(Diagnostic::error(
                file,
                hstart..hstart + header.len().max(1),
                format!("the header has no `{name}` column"),
            ));
        }
    }
    if diags.iter().any(|d| d.is_error()) {
        return Parsed {
            value: None,
            diagnostics: diags,
        };
    }
    let mut stakes = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for &(start, body) in rows {
        let f = fields(start, body);
        if f.len() != head.len() {
            diags.push(Diagnostic::error(
                file,
                start..start + body.len().max(1),
                format!("{} fields; the header has {}", f.len(), head.len()),
            ));
            continue;
        }
        let (aspan, actor) = f[cols[0]].clone();
        if actor.is_empty() {
            diags.push(Diagnostic::error(file, aspan.clone(), "empty actor name"));
        } else if seen.contains(&actor) {
            diags.push(Diagnostic::error(
                file,
                aspan.clone(),
                format!("actor `{actor}` appears twice"),
            ));
        }
        seen.push(actor.clone());
        let mut num = |c: usize, what: &str, lo: f64, hi: f64| -> Option<f64> {
            let (span, v) = &f[cols[c]];
            match v.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= lo && x <= hi => Some(x),
                Ok(x) => {
                    diags.push(Diagnostic::error(
                        file,
                        span.clone(),
                        format!("{what} {x} is outside {lo}–{hi}"),
                    ));
                    None
                }
                Err(_) => {
                    diags.push(Diagnostic::error(
                        file,
                        span.clone(),
                        format!("{what} `{v}` is not a number"),
                    ));
                    None
                }
            }
        };
        let c = num(1, "capability", 0.0, MAX_MAGNITUDE);
        let x = num(2, "position", -MAX_MAGNITUDE, MAX_MAGNITUDE);
        let s = num(3, "salience", 0.0, 100.0);
        let red = if cols[4] != usize::MAX && !f[cols[4]].1.is_empty() {
            num(4, "red line", -MAX_MAGNITUDE, MAX_MAGNITUDE).map(Some)
        } else {
            Some(None)
        };
        if let (Some(c), Some(x), Some(s), Some(red)) = (c, x, s, red) {
            let mut st = Stake::new(actor, c, x, s / 100.0);
            st.red_line = red;
            st.basis = format!("{}:{}", file.path, file.line_col(start).line);
            stakes.push(st);
        }
    }
    if stakes.is_empty() && !diags.iter().any(|d| d.is_error()) {
        diags.push(Diagnostic::error(
            file,
            hstart..hstart + header.len().max(1),
            "no actors under the header",
        ));
    }
    let ok = !diags.iter().any(|d| d.is_error());
    let id = file
        .path
        .rsplit('/')
        .next()
        .unwrap_or(&file.path)
        .trim_end_matches(".csv")
        .to_string();
    Parsed {
        value: ok.then(|| Issue::from_stakes(id, stakes)),
        diagnostics: diags,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSrc {
    scenario: Spanned<ScenarioSrc>,
    #[serde(default)]
    actor: Vec<Spanned<ActorSrc>>,
    #[serde(default)]
    issue: Vec<Spanned<IssueSrc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioSrc {
    id: Spanned<String>,
    title: String,
    date: Spanned<String>,
    parties: Vec<Spanned<String>>,
    #[serde(default)]
    notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorSrc {
    id: Spanned<String>,
    name: String,
    capability: Spanned<f64>,
    source: Option<Spanned<String>>,
    assumption: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IssueSrc {
    id: Spanned<String>,
    name: String,
    low: String,
    high: String,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    status_quo: Option<Spanned<f64>>,
    status_quo_source: Option<Spanned<String>>,
    status_quo_assumption: Option<Spanned<String>>,
    #[serde(default)]
    stake: Vec<Spanned<StakeSrc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StakeSrc {
    actor: Spanned<String>,
    position: Spanned<f64>,
    salience: Spanned<f64>,
    red_line: Option<Spanned<f64>>,
    source: Option<Spanned<String>>,
    assumption: Option<Spanned<String>>,
}

const TOP: [&str; 3] = ["scenario", "actor", "issue"];
const FIELDS: [&str; 25] = [
    "id",
    "title",
    "date",
    "parties",
    "notes",
    "name",
    "capability",
    "source",
    "assumption",
    "low",
    "high",
    "min",
    "max",
    "status_quo",
    "status_quo_source",
    "status_quo_assumption",
    "stake",
    "actor",
    "position",
    "salience",
    "red_line",
    "scenario",
    "issue",
    "",
    "",
];

/// A basis: a source (which should carry a date) or an assumption, exactly one.
fn basis(
    file: &SourceFile,
    whole: Range<usize>,
    source: &Option<Spanned<String>>,
    assumption: &Option<Spanned<String>>,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> String {
    match (source, assumption) {
        (Some(s), None) => {
            let has_year = s
                .get_ref()
                .as_bytes()
                .windows(4)
                .any(|w| w.iter().all(u8::is_ascii_digit) && (w[0] == b'1' || w[0] == b'2'));
            if !has_year {
                diags.push(
                    Diagnostic::warning(file, s.span(), format!("the source of {what} gives no date"))
                        .with_hint("write when it was published or said, e.g. \"(2025-11-20)\""),
                );
            }
            s.get_ref().clone()
        }
        (None, Some(a)) => format!("assumption: {}", a.get_ref()),
        (Some(s), Some(_)) => {
            diags.push(Diagnostic::error(
                file,
                s.span(),
                format!("{what} has both a source and an assumption; keep one"),
            ));
            String::new()
        }
        (None, None) => {
            diags.push(
                Diagnostic::error(
                    file,
                    whole,
                    format!("{what} has neither `source` nor `assumption`"),
                )
                .with_hint("every number needs a dated source or an `assumption = \"…\"` label"),
            );
            String::new()
        }
    }
}

/// A scenario of several issues from TOML text.
pub fn scenario_toml(file: &SourceFile) -> Parsed<Talks> {
    let mut diags = Vec::new();
    let src: FileSrc = match toml::from_str(&file.text) {
        Ok(s) => s,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().to_string();
            let mut d = Diagnostic::error(file, span, msg.clone());
            if let Some(name) = msg
                .strip_prefix("unknown field `")
                .and_then(|r| r.split('`').next())
            {
                d = d.with_hints(
                    did_you_mean(name, FIELDS.iter().chain(&TOP).copied().filter(|s| !s.is_empty()))
                        .into_iter()
                        .map(|s| format!("did you mean `{s}`?")),
                );
            }
            diags.push(d);
            return Parsed {
                value: None,
                diagnostics: diags,
            };
        }
    };
    let sc = src.scenario.get_ref();
    let mut actors: Vec<Negotiator> = Vec::new();
    for a in &src.actor {
        let a_ref = a.get_ref();
        let id = a_ref.id.get_ref().clone();
        if actors.iter().any(|x| x.id == id) {
            diags.push(Diagnostic::error(
                file,
                a_ref.id.span(),
                format!("actor `{id}` is defined twice"),
            ));
        }
        let c = *a_ref.capability.get_ref();
        if !(c.is_finite() && c > 0.0) {
            diags.push(Diagnostic::error(
                file,
                a_ref.capability.span(),
                format!("capability {c} must be positive"),
            ));
        } else if c > MAX_MAGNITUDE {
            diags.push(Diagnostic::error(
                file,
                a_ref.capability.span(),
                format!("capability {c} is above the limit {MAX_MAGNITUDE:e}"),
            ));
        }
        let b = basis(
            file,
            a.span(),
            &a_ref.source,
            &a_ref.assumption,
            &format!("actor `{id}`'s capability"),
            &mut diags,
        );
        actors.push(Negotiator {
            id,
            name: a_ref.name.clone(),
            capability: c,
            basis: b,
        });
    }
    let ids: Vec<String> = actors.iter().map(|a| a.id.clone()).collect();
    let known = |name: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>| -> bool {
        if ids.contains(name.get_ref()) {
            return true;
        }
        diags.push(
            Diagnostic::error(
                file,
                name.span(),
                format!("{what} `{}` is not an actor of this scenario", name.get_ref()),
            )
            .with_hints(
                did_you_mean(name.get_ref(), ids.iter().map(String::as_str))
                    .into_iter()
                    .map(|s| format!("did you mean `{s}`?")),
            ),
        );
        false
    };
    let mut parties = Vec::new();
    for p in &sc.parties {
        if known(p, "party", &mut diags) {
            parties.push(p.get_ref().clone());
        }
    }
    if parties.len() < 2 {
        diags.push(Diagnostic::error(
            file,
            src.scenario.span(),
            "a scenario needs at least two parties whose consent makes a deal",
        ));
    }
    let mut issues: Vec<Issue> = Vec::new();
    for i in &src.issue {
        let ir = i.get_ref();
        let id = ir.id.get_ref().clone();
        if issues.iter().any(|x| x.id == id) {
            diags.push(Diagnostic::error(
                file,
                ir.id.span(),
                format!("issue `{id}` is defined twice"),
            ));
        }
        let (lo, hi) = (ir.min.unwrap_or(0.0), ir.max.unwrap_or(100.0));
        if lo >= hi {
            diags.push(Diagnostic::error(
                file,
                ir.id.span(),
                format!("issue `{id}`: min {lo} is not below max {hi}"),
            ));
        } else if !(lo.abs() <= MAX_MAGNITUDE && hi.abs() <= MAX_MAGNITUDE) {
            diags.push(Diagnostic::error(
                file,
                ir.id.span(),
                format!("issue `{id}`: min {lo} and max {hi} must lie within ±{MAX_MAGNITUDE:e}"),
            ));
        }
        let in_range = |v: &Spanned<f64>, what: &str, diags: &mut Vec<Diagnostic>| {
            let x = *v.get_ref();
            if !(x >= lo && x <= hi) {
                diags.push(Diagnostic::error(
                    file,
                    v.span(),
                    format!("{what} {x} is outside the issue's range {lo}–{hi}"),
                ));
            }
        };
        let mut sq_basis = String::new();
        if let Some(q) = &ir.status_quo {
            in_range(q, "status quo", &mut diags);
            sq_basis = basis(
                file,
                q.span(),
                &ir.status_quo_source,
                &ir.status_quo_assumption,
                &format!("issue `{id}`'s status quo"),
                &mut diags,
            );
        }
        let mut stakes: Vec<Stake> = Vec::new();
        for s in &ir.stake {
            let sr = s.get_ref();
            let actor = sr.actor.get_ref().clone();
            if !known(&sr.actor, "stake holder", &mut diags) {
                continue;
            }
            if stakes.iter().any(|x| x.actor == actor) {
                diags.push(Diagnostic::error(
                    file,
                    sr.actor.span(),
                    format!("`{actor}` has two stakes in issue `{id}`"),
                ));
            }
            in_range(&sr.position, "position", &mut diags);
            if let Some(r) = &sr.red_line {
                in_range(r, "red line", &mut diags);
            }
            let sal = *sr.salience.get_ref();
            if !(0.0..=100.0).contains(&sal) {
                diags.push(Diagnostic::error(
                    file,
                    sr.salience.span(),
                    format!("salience {sal} is outside 0–100"),
                ));
            }
            let b = basis(
                file,
                s.span(),
                &sr.source,
                &sr.assumption,
                &format!("`{actor}`'s stake in `{id}`"),
                &mut diags,
            );
            let cap = actors
                .iter()
                .find(|a| a.id == actor)
                .map_or(1.0, |a| a.capability);
            let mut st = Stake::new(actor, cap, *sr.position.get_ref(), sal / 100.0);
            st.red_line = sr.red_line.as_ref().map(|r| *r.get_ref());
            st.basis = b;
            stakes.push(st);
        }
        for p in &parties {
            if !stakes.iter().any(|s| &s.actor == p) {
                diags.push(Diagnostic::warning(
                    file,
                    ir.id.span(),
                    format!("party `{p}` has no stake in issue `{id}`"),
                ));
            }
        }
        issues.push(Issue {
            id,
            name: ir.name.clone(),
            lo,
            hi,
            lo_label: ir.low.clone(),
            hi_label: ir.high.clone(),
            status_quo: ir.status_quo.as_ref().map(|q| *q.get_ref()),
            status_quo_basis: sq_basis,
            stakes,
        });
    }
    if issues.is_empty() {
        diags.push(Diagnostic::error(
            file,
            src.scenario.span(),
            "a scenario needs at least one [[issue]]",
        ));
    }
    let ok = !diags.iter().any(|d| d.is_error());
    let value = ok.then(|| Talks {
        id: sc.id.get_ref().clone(),
        title: sc.title.clone(),
        date: sc.date.get_ref().clone(),
        actors,
        parties,
        issues,
        notes: sc.notes.clone(),
    });
    Parsed {
        value,
        diagnostics: diags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_the_ec_case_and_locates_errors() {
        let f = SourceFile::new(
            "ec.csv",
            "actor,capability,position,salience\nNetherlands,0.08,4,80\nBelgium,0.08,7,40\n",
        );
        let p = issue_csv(&f);
        let issue = p.value.unwrap();
        assert_eq!(issue.stakes.len(), 2);
        assert_eq!((issue.lo, issue.hi), (4.0, 7.0));
        assert!((issue.stakes[1].salience - 0.4).abs() < 1e-12);

        let f = SourceFile::new("bad.csv", "actor,capabilty,position,salience\n");
        let d = issue_csv(&f).diagnostics;
        assert_eq!(d[0].start.line, 1);
        assert_eq!(d[0].start.column, 7);
        assert!(d[0].hints.iter().any(|h| h.contains("capability")), "{d:?}");

        let f = SourceFile::new(
            "bad.csv",
            "actor,capability,position,salience\nA,1,2,300\nB,x,2,3\n",
        );
        let d = issue_csv(&f).diagnostics;
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].start.line, d[0].start.column), (2, 7));
        assert!(d[0].message.contains("outside 0–100"));
        assert_eq!((d[1].start.line, d[1].start.column), (3, 3));
    }

    #[test]
    fn huge_positions_are_rejected_where_they_are_written() {
        // ±1e308 once gave NaN utilities printed as "stalemate" with exit 0 (#16 item 9).
        let f = SourceFile::new(
            "big.csv",
            "actor,capability,position,salience\nA,1,1e308,50\nB,1,-1e308,50\n",
        );
        let p = issue_csv(&f);
        assert!(p.value.is_none());
        let errs: Vec<String> = p.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs[0].contains("big.csv:2:") && errs[0].contains("outside"),
            "{errs:?}"
        );
    }

    #[test]
    fn toml_errors_are_located_with_suggestions() {
        let text = "[scenario]\nid = \"x\"\ntitle = \"t\"\ndate = \"2025\"\nparties = [\"UKR\", \"RUZ\"]\n\n[[actor]]\nid = \"UKR\"\nname = \"Ukraine\"\ncapability = 1\nassumption = \"a\"\n\n[[actor]]\nid = \"RUS\"\nname = \"Russia\"\ncapability = 2\nsource = \"somewhere\"\n\n[[issue]]\nid = \"t\"\nname = \"T\"\nlow = \"a\"\nhigh = \"b\"\n[[issue.stake]]\nactor = \"UKR\"\nposition = 120\nsalience = 50\nassumption = \"x\"\n";
        let p = scenario_toml(&SourceFile::new("s.toml", text));
        assert!(p.value.is_none());
        let msgs: Vec<String> = p
            .diagnostics
            .iter()
            .map(|d| format!("{}:{} {}", d.start.line, d.start.column, d.message))
            .collect();
        assert!(msgs.iter().any(|m| m.starts_with("5:19 party `RUZ`")), "{msgs:?}");
        assert!(p
            .diagnostics
            .iter()
            .any(|d| d.hints.iter().any(|h| h.contains("RUS"))));
        assert!(
            msgs.iter().any(|m| m.contains("position 120 is outside")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("gives no date")), "{msgs:?}");

        let p = scenario_toml(&SourceFile::new(
            "s.toml",
            "[scenario]\nid = \"x\"\ntitle = \"t\"\ndate = \"2025\"\nparties = []\nnotez = []\n",
        ));
        let d = &p.diagnostics[0];
        assert_eq!(d.start.line, 6);
        assert!(d.hints.iter().any(|h| h.contains("notes")), "{d:?}");
    }
}
