//! Calendar months in UTC, the unit Storj accounts in ("2026-05").

use std::fmt;

use crate::model::UnixMillis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Month {
    year: i32,
    /// 1 to 12.
    month: u8,
}

impl Month {
    pub(crate) fn new(year: i32, month: u8) -> Option<Month> {
        ((1..=12).contains(&month) && (1970..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// The UTC month `ms` falls in.
    pub(crate) fn at(ms: UnixMillis) -> Option<Month> {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
        Month::new(t.year(), u8::from(t.month()))
    }

    /// `YYYY-MM`, strictly: anything else (it goes into a URL path) is `None`.
    pub(crate) fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) {
            return None;
        }
        Month::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub(crate) fn prev(self) -> Month {
        match self.month {
            1 => Month { year: self.year - 1, month: 12 },
            m => Month { year: self.year, month: m - 1 },
        }
    }

    pub(crate) fn next(self) -> Month {
        match self.month {
            12 => Month { year: self.year + 1, month: 1 },
            m => Month { year: self.year, month: m + 1 },
        }
    }

    /// Midnight UTC on the first day.
    pub(crate) fn start_ms(self) -> Option<UnixMillis> {
        let month = time::Month::try_from(self.month).ok()?;
        let day = time::Date::from_calendar_date(self.year, month, 1).ok()?;
        Some(day.midnight().assume_utc().unix_timestamp() * 1000)
    }

    /// Whole months from `self` to `later` (negative if `later` is earlier).
    pub(crate) fn months_until(self, later: Month) -> i64 {
        i64::from(later.year - self.year) * 12 + i64::from(later.month) - i64::from(self.month)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}
