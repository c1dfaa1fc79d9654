//! Additive utilities over discrete issues (the Genius / ANAC domain format), the Pareto
//! frontier and the Nash point of a finite set of outcomes.
//!
//! Genius semantics (research note §3.3): `v_k(item) = evaluation / max evaluation in
//! issue k`, `u(x) = Σ_k w_k v_k(x_k)`.

/// One party's additive profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Issue names, in index order.
    pub issues: Vec<String>,
    /// `items[k]` = (value, evaluation) of issue k.
    pub items: Vec<Vec<(String, f64)>>,
    pub weights: Vec<f64>,
    pub reservation: f64,
}

impl Profile {
    /// `u(outcome)`, the outcome given as one item index per issue.
    pub fn utility(&self, outcome: &[usize]) -> f64 {
        self.items
            .iter()
            .zip(&self.weights)
            .zip(outcome)
            .map(|((items, w), &o)| {
                let max = items.iter().map(|i| i.1).fold(0.0, f64::max);
                if max > 0.0 {
                    w * items[o].1 / max
                } else {
                    0.0
                }
            })
            .sum()
    }
}

/// A Genius XML problem: byte offset and message.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlError {
    pub offset: usize,
    pub message: String,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    let pat = format!("{name}=\"");
    loop {
        let at = rest.find(&pat)?;
        // A whole attribute name: preceded by whitespace.
        if at == 0 || rest.as_bytes()[at - 1].is_ascii_whitespace() {
            let start = at + pat.len();
            let end = rest[start..].find('"')? + start;
            return Some(&rest[start..end]);
        }
        rest = &rest[at + pat.len()..];
    }
}

/// Parses a Genius `utility_space` file (issues with discrete items, weights, reservation).
pub fn parse_genius(text: &str) -> Result<Profile, XmlError> {
    let mut p = Profile {
        issues: vec![],
        items: vec![],
        weights: vec![],
        reservation: 0.0,
    };
    let mut weights: Vec<(usize, f64)> = vec![];
    let mut pos = 0;
    while let Some(lt) = text[pos..].find('<') {
        let start = pos + lt;
        let end = text[start..].find('>').map(|e| start + e).ok_or(XmlError {
            offset: start,
            message: "unclosed tag".into(),
        })?;
        let tag = &text[start + 1..end];
        let name = tag.split_whitespace().next().unwrap_or("");
        let number = |a: &str| -> Result<f64, XmlError> {
            let v = attr(tag, a).ok_or(XmlError {
                offset: start,
                message: format!("<{name}> has no {a}"),
            })?;
            v.trim().parse().map_err(|_| XmlError {
                offset: start,
                message: format!("<{name}> {a}=\"{v}\" is not a number"),
            })
        };
        match name {
            "issue" => {
                p.issues.push(attr(tag, "name").unwrap_or("").to_string());
                p.items.push(vec![]);
            }
            "item" => {
                let value = attr(tag, "value").unwrap_or("").to_string();
                let eval = number("evaluation")?;
                p.items
                    .last_mut()
                    .ok_or(XmlError {
                        offset: start,
                        message: "<item> outside an <issue>".into(),
                    })?
                    .push((value, eval));
            }
            "weight" => weights.push((number("index")? as usize, number("value")?)),
            "reservation" => p.reservation = number("value")?,
            _ => {}
        }
        pos = end + 1;
    }
    if p.issues.is_empty() {
        return Err(XmlError {
            offset: 0,
            message: "no <issue> found".into(),
        });
    }
    p.weights = vec![0.0; p.issues.len()];
    for (i, w) in weights {
        if i == 0 || i > p.issues.len() {
            return Err(XmlError {
                offset: 0,
                message: format!("weight for issue {i}, which does not exist"),
            });
        }
        p.weights[i - 1] = w;
    }
    Ok(p)
}

/// Every outcome of a domain with `sizes[k]` items per issue, in lexicographic order.
pub fn outcomes(sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![vec![]];
    for &s in sizes {
        out = out
            .into_iter()
            .flat_map(|o| (0..s).map(move |i| [o.clone(), vec![i]].concat()))
            .collect();
    }
    out
}

/// Indices of the Pareto-optimal points (maximising every coordinate), in input order.
/// Duplicates of an optimal point are all kept. Sort-and-sweep for two coordinates,
/// pairwise comparison against the running frontier otherwise.
pub fn pareto(points: &[Vec<f64>]) -> Vec<usize> {
    let dims = points.first().map_or(0, |p| p.len());
    let mut keep: Vec<usize> = Vec::new();
    if dims == 2 {
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| {
            points[b][0]
                .total_cmp(&points[a][0])
                .then(points[b][1].total_cmp(&points[a][1]))
        });
        let mut best_second = f64::NEG_INFINITY;
        let mut last: Option<&Vec<f64>> = None;
        for i in order {
            let p = &points[i];
            if p[1] > best_second || last == Some(p) {
                keep.push(i);
                best_second = best_second.max(p[1]);
                last = Some(p);
            }
        }
    } else {
        let dominates = |a: &[f64], b: &[f64]| {
            a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
        };
        // Visit by descending sum: a point can only be dominated by one with a larger sum.
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| {
            points[b]
                .iter()
                .sum::<f64>()
                .total_cmp(&points[a].iter().sum::<f64>())
        });
        for i in order {
            if !keep.iter().any(|&k| dominates(&points[k], &points[i])) {
                keep.push(i);
            }
        }
    }
    keep.sort_unstable();
    keep
}

/// The point maximising `Π (u_i − d_i)^{w_i}` among those strictly better than `d` for
/// everyone (ties: the first). `None` if there is none.
pub fn nash(points: &[Vec<f64>], d: &[f64], w: &[f64]) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for (i, p) in points.iter().enumerate() {
        let mut v = 0.0;
        let mut ok = true;
        for k in 0..d.len() {
            let g = p[k] - d[k];
            if g <= 0.0 {
                ok = false;
                break;
            }
            v += w[k] * g.ln();
        }
        if ok && !matches!(best, Some((b, _)) if v <= b) {
            best = Some((v, i));
        }
    }
    best.map(|b| b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontier_of_a_small_set() {
        let pts = vec![
            vec![1.0, 0.0],
            vec![0.5, 0.5],
            vec![0.4, 0.4],
            vec![0.0, 1.0],
            vec![0.5, 0.5],
        ];
        assert_eq!(pareto(&pts), vec![0, 1, 3, 4]);
        let three: Vec<Vec<f64>> = pts.iter().map(|p| vec![p[0], p[1], 0.0]).collect();
        assert_eq!(pareto(&three), vec![0, 1, 3, 4]);
        assert_eq!(nash(&pts, &[0.0, 0.0], &[1.0, 1.0]), Some(1));
        assert_eq!(nash(&pts, &[0.9, 0.9], &[1.0, 1.0]), None);
    }

    #[test]
    fn outcomes_enumerate_the_product() {
        let o = outcomes(&[2, 3]);
        assert_eq!(o.len(), 6);
        assert_eq!(o[5], vec![1, 2]);
    }

    #[test]
    fn genius_errors_are_located() {
        let e = parse_genius("<utility_space>\n<issue name=\"a\">\n<item value=\"x\" evaluation=\"z\"/>")
            .unwrap_err();
        assert_eq!(e.offset, 33);
        assert!(e.message.contains("not a number"));
    }
}
