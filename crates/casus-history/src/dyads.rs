//! ATOP's directed dyad-year obligations, derived from the member-level file.
//!
//! For each alliance phase, every ordered pair of members whose memberships overlap in time
//! is allied in each year both cover; state A owes state B what A's member row promises,
//! less ATOP's directed corrections. Where an alliance changes phase within a year, the later
//! phase speaks for that year. The flags of all alliances a pair shares are OR-ed.

use crate::atop::{Membership, Obligations, Release};
use crate::corrections::Corrections;

/// One directed dyad-year: what `ccode1` owes `ccode2` in `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DyadYear {
    pub ccode1: u16,
    pub ccode2: u16,
    pub year: u16,
    pub obligations: Obligations,
    /// Alliances in effect for the dyad this year (ATOP `number`), of which bilateral (`bilatno`).
    pub number: u8,
    pub bilatno: u8,
    /// Some shared alliance is asymmetric (ATOP `asymm`).
    pub asymm: bool,
    /// Some shared membership starts or ends this year (ATOP `transyr`).
    pub transyr: bool,
    /// Where this row's alliance ids start in [`Dyads::alliance_ids`]; there are `number` of them.
    pub first_alliance: u32,
}

impl DyadYear {
    /// ATOP's `shareob`: allied, yet owing nothing to each other.
    pub fn shareob(&self) -> bool {
        self.obligations.is_empty()
    }
    pub fn multino(&self) -> u8 {
        self.number - self.bilatno
    }
}

/// The derived directed dyad-years, sorted by (ccode1, ccode2, year), with their alliance ids.
#[derive(Debug, Clone, Default)]
pub struct Dyads {
    pub rows: Vec<DyadYear>,
    pub alliance_ids: Vec<u32>,
}

impl Dyads {
    /// The ATOP ids behind one row, ascending.
    pub fn alliances(&self, row: &DyadYear) -> &[u32] {
        let s = row.first_alliance as usize;
        &self.alliance_ids[s..s + row.number as usize]
    }
}

// Each allied (obligor, beneficiary, year, alliance) is one u64, so that ordering them is a
// plain integer sort: obligor (10 bits) | beneficiary (10) | year since 1000 (11) |
// alliance index (16) | payload (8: five obligation bits, bilateral, asymmetric, transition).
// Within one alliance the alliance field first holds 255 - phase, so the later phase sorts first.
const PAYLOAD: u32 = 8;
const ALLIANCE: u32 = 16;
const KEY_SHIFT: u32 = PAYLOAD + ALLIANCE;

fn pack(a: u16, b: u16, y: u16, mid: u64, payload: u8) -> u64 {
    (a as u64) << (KEY_SHIFT + 21)
        | (b as u64) << (KEY_SHIFT + 11)
        | ((y - 1000) as u64) << KEY_SHIFT
        | mid << PAYLOAD
        | payload as u64
}

const BILAT: u8 = 1 << 5;
const ASYMM: u8 = 1 << 6;
const TRANS: u8 = 1 << 7;

/// Sorts packed entries by everything above the payload: four stable passes of 12 bits
/// (bits 8..56), a few times faster than a comparison sort for the ~300,000 entries of ATOP 5.1.
fn radix_sort(v: &mut Vec<u64>) {
    let mut buf = vec![0u64; v.len()];
    for pass in 0..4 {
        let shift = PAYLOAD + 12 * pass;
        let mut count = vec![0usize; 4097];
        for &e in v.iter() {
            count[((e >> shift) & 0xfff) as usize + 1] += 1;
        }
        for i in 1..count.len() {
            count[i] += count[i - 1];
        }
        for &e in v.iter() {
            let d = ((e >> shift) & 0xfff) as usize;
            buf[count[d]] = e;
            count[d] += 1;
        }
        std::mem::swap(v, &mut buf);
    }
}

/// Whether two memberships of one phase ever run at the same time. One that starts on or
/// after the day the other ended never overlaps it; an unknown day never decides that.
fn overlap(a: &Membership, b: &Membership) -> bool {
    let ends_before =
        |x: &Membership, y: &Membership| x.exit.is_some_and(|e| y.entry.earliest() >= e.latest());
    !ends_before(a, b) && !ends_before(b, a)
}

/// Members without a 3-digit COW code (Annam, 8152) are not in ATOP's dyadic files.
fn in_cow_system(code: u16) -> bool {
    code < 1000
}

/// Derives the directed dyad-years of `release` for the years `from..=to` (clipped to its coverage).
pub fn derive(release: &Release, corrections: &Corrections, from: u16, to: u16) -> Dyads {
    let (first, last) = release.coverage();
    let (from, to) = (from.max(first), to.min(last));
    let mut order: Vec<u32> = (0..release.memberships.len() as u32).collect();
    let ms = &release.memberships;
    order.sort_unstable_by_key(|&i| {
        let m = &ms[i as usize];
        (m.atopid, m.phase, m.member)
    });
    let mut all: Vec<u64> = Vec::new();
    let mut alliance: Vec<u64> = Vec::new();
    let mut start = 0;
    let mut index: u64 = 0;
    let mut ids: Vec<u32> = Vec::new();
    while start < order.len() {
        let atopid = ms[order[start] as usize].atopid;
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| ms[i as usize].atopid == atopid)
                .count();
        alliance.clear();
        let mark = all.len();
        let mut p0 = start;
        while p0 < end {
            let phase = ms[order[p0] as usize].phase;
            let p1 = p0
                + order[p0..end]
                    .iter()
                    .take_while(|&&i| ms[i as usize].phase == phase)
                    .count();
            let group = &order[p0..p1];
            let corrected = corrections.touches(atopid, phase);
            for &ia in group {
                let a = &ms[ia as usize];
                if !in_cow_system(a.member) {
                    continue;
                }
                let (a0, a1) = a.years(last);
                for &ib in group {
                    let b = &ms[ib as usize];
                    if a.member == b.member || !in_cow_system(b.member) || !overlap(a, b) {
                        continue;
                    }
                    let (b0, b1) = b.years(last);
                    let (lo, hi) = (a0.max(b0).max(from), a1.min(b1).min(to));
                    let withheld = if corrected {
                        corrections.withheld(atopid, phase, a.member, b.member)
                    } else {
                        0
                    };
                    let base = (a.obligations.0 & !withheld)
                        | if a.bilat { BILAT } else { 0 }
                        | if a.asymm { ASYMM } else { 0 };
                    let (ae, be) = (a.exit.map_or(0, |e| e.year), b.exit.map_or(0, |e| e.year));
                    for y in lo..=hi {
                        let trans = y == a0 || y == b0 || y == ae || y == be;
                        alliance.push(pack(
                            a.member,
                            b.member,
                            y,
                            255 - phase as u64,
                            base | if trans { TRANS } else { 0 },
                        ));
                    }
                }
            }
            p0 = p1;
        }
        // The later phase speaks for a year two phases share; rows of one member in one
        // phase (a member that left and came back) add up.
        if !alliance.windows(2).all(|w| w[0] >> KEY_SHIFT < w[1] >> KEY_SHIFT) {
            alliance.sort_unstable();
            let mut kept: Option<u64> = None;
            for e in alliance.drain(..) {
                match &mut kept {
                    Some(k) if *k >> KEY_SHIFT == e >> KEY_SHIFT => {
                        if *k >> PAYLOAD == e >> PAYLOAD {
                            *k |= e & 0xff;
                        }
                    }
                    _ => {
                        all.extend(kept.take());
                        kept = Some(e);
                    }
                }
            }
            all.extend(kept);
        } else {
            all.extend_from_slice(&alliance);
        }
        // Replace the phase field by the alliance's index (ids ascend with the index).
        for e in &mut all[mark..] {
            *e = (*e & !(0xffff << PAYLOAD)) | index << PAYLOAD;
        }
        start = end;
        index += 1;
        ids.push(atopid);
    }
    radix_sort(&mut all);
    let mut out = Dyads {
        rows: Vec::with_capacity(all.len()),
        alliance_ids: Vec::with_capacity(all.len()),
    };
    let mut i = 0;
    while i < all.len() {
        let k = all[i] >> KEY_SHIFT;
        let mut row = DyadYear {
            ccode1: (k >> 21) as u16,
            ccode2: ((k >> 11) & 0x3ff) as u16,
            year: (k & 0x7ff) as u16 + 1000,
            obligations: Obligations(0),
            number: 0,
            bilatno: 0,
            asymm: false,
            transyr: false,
            first_alliance: out.alliance_ids.len() as u32,
        };
        while i < all.len() && all[i] >> KEY_SHIFT == k {
            let e = all[i];
            let p = e as u8;
            row.obligations.0 |= p & 0x1f;
            out.alliance_ids.push(ids[((e >> PAYLOAD) & 0xffff) as usize]);
            row.number += 1;
            row.bilatno += (p & BILAT != 0) as u8;
            row.asymm |= p & ASYMM != 0;
            row.transyr |= p & TRANS != 0;
            i += 1;
        }
        out.rows.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atop::PartialDate;

    fn m(
        atopid: u32,
        phase: u8,
        member: u16,
        entry: (u16, u8, Option<u8>),
        exit: Option<(u16, u8, Option<u8>)>,
        bits: u8,
    ) -> Membership {
        Membership {
            atopid,
            phase,
            member,
            entry: PartialDate {
                year: entry.0,
                month: entry.1,
                day: entry.2,
            },
            exit: exit.map(|e| PartialDate {
                year: e.0,
                month: e.1,
                day: e.2,
            }),
            obligations: Obligations(bits),
            bilat: false,
            asymm: false,
            obvary: false,
            cowsys: true,
            conditional: false,
            milcon: 0,
            intcom: false,
            organ: false,
            base: 0,
        }
    }

    fn release(ms: Vec<Membership>) -> Release {
        Release {
            version: "5.1".into(),
            memberships: ms,
            last_year: 2018,
            fingerprint: 0,
        }
    }

    const D: u8 = Obligations::DEFENSE;
    const C: u8 = Obligations::CONSUL;
    const O: u8 = Obligations::OFFENSE;

    #[test]
    fn successors_on_the_same_day_are_never_allied() {
        // West Germany leaves on 1990-10-03, unified Germany joins that day; the US stays.
        let r = release(vec![
            m(1, 0, 2, (1955, 5, Some(5)), None, D),
            m(1, 0, 260, (1955, 5, Some(5)), Some((1990, 10, Some(3))), D),
            m(1, 0, 255, (1990, 10, Some(3)), None, D),
        ]);
        let d = derive(&r, &Corrections::default(), 1815, 2018);
        assert!(!d
            .rows
            .iter()
            .any(|x| (x.ccode1, x.ccode2) == (260, 255) || (x.ccode1, x.ccode2) == (255, 260)));
        let us_fg: Vec<u16> = d
            .rows
            .iter()
            .filter(|x| (x.ccode1, x.ccode2) == (2, 260))
            .map(|x| x.year)
            .collect();
        assert_eq!(
            (us_fg.first(), us_fg.last(), us_fg.len()),
            (Some(&1955), Some(&1990), 36)
        );
        assert!(d
            .rows
            .iter()
            .any(|x| (x.ccode1, x.ccode2, x.year) == (2, 255, 2018)));
    }

    #[test]
    fn an_unknown_day_keeps_the_pair() {
        let r = release(vec![
            m(1, 0, 2, (1900, 1, Some(1)), Some((1905, 6, None)), D),
            m(1, 0, 20, (1905, 6, Some(10)), None, D),
        ]);
        let d = derive(&r, &Corrections::default(), 1815, 2018);
        assert_eq!(d.rows.len(), 2);
    }

    #[test]
    fn the_later_phase_speaks_for_the_year_of_change() {
        // Anglo-Japanese alliance: Japan's offence ends with phase 1 in August 1905.
        let r = release(vec![
            m(
                1415,
                1,
                200,
                (1902, 1, Some(30)),
                Some((1905, 8, Some(12))),
                D | O | C,
            ),
            m(
                1415,
                1,
                740,
                (1902, 1, Some(30)),
                Some((1905, 8, Some(12))),
                D | O | C,
            ),
            m(
                1415,
                2,
                200,
                (1905, 8, Some(12)),
                Some((1921, 12, Some(13))),
                D | O | C,
            ),
            m(
                1415,
                2,
                740,
                (1905, 8, Some(12)),
                Some((1921, 12, Some(13))),
                D | C,
            ),
        ]);
        let d = derive(&r, &Corrections::default(), 1815, 2018);
        let get = |a, b, y| {
            d.rows
                .iter()
                .find(|x| (x.ccode1, x.ccode2, x.year) == (a, b, y))
                .unwrap()
                .obligations
                .0
        };
        assert_eq!(get(740, 200, 1904), D | O | C);
        assert_eq!(get(740, 200, 1905), D | C);
        assert_eq!(get(200, 740, 1905), D | O | C);
        let row = d
            .rows
            .iter()
            .find(|x| (x.ccode1, x.ccode2, x.year) == (740, 200, 1905))
            .unwrap();
        assert_eq!((row.number, d.alliances(row)), (1, &[1415][..]));
    }

    #[test]
    fn corrections_make_obligations_directed_and_alliances_merge() {
        // Two guarantors defend a third, not each other; all consult.
        let r = release(vec![
            m(7, 0, 200, (1855, 11, Some(21)), Some((1856, 3, None)), D | C),
            m(7, 0, 220, (1855, 11, Some(21)), Some((1856, 3, None)), D | C),
            m(7, 0, 380, (1855, 11, Some(21)), Some((1856, 3, None)), C),
        ]);
        let c = Corrections::parse(&casus_syntax::SourceFile::new(
            "c",
            "atopid\tphase\tobligor\tbeneficiary\twithheld\tnote\n7\t0\t200\t220\tdefense\tx\n7\t0\t220\t200\tdefense\tx\n",
        )).unwrap();
        let d = derive(&r, &c, 1815, 2018);
        let get = |a, b| {
            d.rows
                .iter()
                .find(|x| (x.ccode1, x.ccode2, x.year) == (a, b, 1855))
                .unwrap()
                .obligations
                .0
        };
        assert_eq!(get(200, 220), C);
        assert_eq!(get(200, 380), D | C);
        assert_eq!(get(380, 200), C);
        let d = derive(&r, &c, 1856, 1856);
        assert!(d.rows.iter().all(|x| x.year == 1856) && d.rows.len() == 6);
    }
}
