//! Dates as the sources give them (some only to the month or year), dated spells, and
//! the three-valued truth that follows: a partial date can leave a question open.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Yes, no, or not determined by the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Truth {
    Yes,
    No,
    Unknown,
}

impl Truth {
    pub fn from_bool(b: bool) -> Self {
        if b {
            Truth::Yes
        } else {
            Truth::No
        }
    }

    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::No, _) | (_, Truth::No) => Truth::No,
            (Truth::Yes, Truth::Yes) => Truth::Yes,
            _ => Truth::Unknown,
        }
    }

    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Yes, _) | (_, Truth::Yes) => Truth::Yes,
            (Truth::No, Truth::No) => Truth::No,
            _ => Truth::Unknown,
        }
    }
}

impl std::ops::Not for Truth {
    type Output = Truth;

    fn not(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// A date known to the day, the month or the year: the interval it may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FuzzyDate {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

impl FuzzyDate {
    pub fn day(d: NaiveDate) -> Self {
        Self {
            earliest: d,
            latest: d,
        }
    }

    pub fn is_exact(&self) -> bool {
        self.earliest == self.latest
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; the error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let num = |s: &str, what: &str, len: usize| -> Result<u32, String> {
            if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("`{text}` is not a date: the {what} must be {len} digits (write YYYY-MM-DD, YYYY-MM or YYYY)"));
            }
            s.parse().map_err(|_| format!("`{text}` is not a date"))
        };
        match parts.as_slice() {
            [y] => {
                let y = num(y, "year", 4)? as i32;
                let a = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| format!("`{text}` is not a date"))?;
                let b =
                    NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(|| format!("`{text}` is not a date"))?;
                Ok(Self {
                    earliest: a,
                    latest: b,
                })
            }
            [y, m] => {
                let y = num(y, "year", 4)? as i32;
                let m = num(m, "month", 2)?;
                let a = NaiveDate::from_ymd_opt(y, m, 1)
                    .ok_or_else(|| format!("`{text}` is not a date: there is no month {m}"))?;
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(y + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(y, m + 1, 1)
                };
                let b = next
                    .and_then(|n| n.pred_opt())
                    .ok_or_else(|| format!("`{text}` is not a date"))?;
                Ok(Self {
                    earliest: a,
                    latest: b,
                })
            }
            [y, m, d] => {
                let yy = num(y, "year", 4)? as i32;
                let mm = num(m, "month", 2)?;
                let dd = num(d, "day", 2)?;
                if !(1..=12).contains(&mm) {
                    return Err(format!("`{text}` is not a date: there is no month {mm}"));
                }
                let day = NaiveDate::from_ymd_opt(yy, mm, dd).ok_or_else(|| {
                    format!("`{text}` is not a date: {} {yy} has no day {dd}", month_name(mm))
                })?;
                Ok(Self::day(day))
            }
            _ => Err(format!(
                "`{text}` is not a date (write YYYY-MM-DD, YYYY-MM or YYYY)"
            )),
        }
    }

    /// Is this date on or before `d`?
    pub fn on_or_before(&self, d: NaiveDate) -> Truth {
        if self.latest <= d {
            Truth::Yes
        } else if self.earliest > d {
            Truth::No
        } else {
            Truth::Unknown
        }
    }

    /// Is this date strictly before `d`?
    pub fn before(&self, d: NaiveDate) -> Truth {
        if self.latest < d {
            Truth::Yes
        } else if self.earliest >= d {
            Truth::No
        } else {
            Truth::Unknown
        }
    }
}

impl std::fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_exact() {
            write!(f, "{}", self.earliest.format("%Y-%m-%d"))
        } else if self.earliest.month() == self.latest.month() && self.earliest.year() == self.latest.year() {
            write!(f, "{}", self.earliest.format("%Y-%m"))
        } else if self.earliest.year() == self.latest.year() {
            write!(f, "{}", self.earliest.year())
        } else {
            write!(f, "{}..{}", self.earliest, self.latest)
        }
    }
}

impl Serialize for FuzzyDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for FuzzyDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "FuzzyDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A day (YYYY-MM-DD), or a month (YYYY-MM) or year (YYYY) where the source gives no day.",
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(\\.\\.[0-9-]+)?$"
        })
    }
}

fn month_name(m: u32) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .get(m as usize - 1)
    .copied()
    .unwrap_or("?")
}

/// A period from its first day to its last day, both included. `None` = open end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct Spell {
    pub from: Option<FuzzyDate>,
    pub until: Option<FuzzyDate>,
}

impl Spell {
    pub fn contains(&self, d: NaiveDate) -> Truth {
        let started = self.from.map_or(Truth::Yes, |f| f.on_or_before(d));
        let ended = self.until.map_or(Truth::No, |u| u.before(d));
        started.and(!ended)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn parses_full_and_partial_dates_and_rejects_impossible_ones() {
        assert!(FuzzyDate::parse("2024-03-07").unwrap().is_exact());
        let sept = FuzzyDate::parse("2022-09").unwrap();
        assert_eq!(sept.earliest, d("2022-09-01"));
        assert_eq!(sept.latest, d("2022-09-30"));
        assert_eq!(FuzzyDate::parse("2024-02").unwrap().latest, d("2024-02-29"));
        let e = FuzzyDate::parse("1976-06-40").unwrap_err();
        assert!(e.contains("June 1976 has no day 40"), "{e}");
        assert!(FuzzyDate::parse("40/06/1976").is_err());
        assert!(FuzzyDate::parse("1976-13-01")
            .unwrap_err()
            .contains("no month 13"));
        assert!(FuzzyDate::parse("").is_err());
    }

    #[test]
    fn partial_dates_leave_questions_open() {
        let spell = Spell {
            from: Some(FuzzyDate::parse("2022-09").unwrap()),
            until: None,
        };
        assert_eq!(spell.contains(d("2022-08-31")), Truth::No);
        assert_eq!(spell.contains(d("2022-09-15")), Truth::Unknown);
        assert_eq!(spell.contains(d("2022-10-01")), Truth::Yes);
    }

    #[test]
    fn spells_include_their_last_day() {
        let uk_in_eu = Spell {
            from: Some(FuzzyDate::parse("1973-01-01").unwrap()),
            until: Some(FuzzyDate::parse("2020-01-31").unwrap()),
        };
        assert_eq!(uk_in_eu.contains(d("2020-01-31")), Truth::Yes);
        assert_eq!(uk_in_eu.contains(d("2020-02-01")), Truth::No);
    }
}
