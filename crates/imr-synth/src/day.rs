//! Dates of the generated letters: a day, drawn at random or counted on from
//! another, written as letters write it and as records hold it.

use fastrand::Rng;

/// A date as letters write it and as records hold it.
#[derive(Clone, Copy)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    pub(crate) fn random(rng: &mut Rng, years: std::ops::RangeInclusive<i32>) -> Day {
        Day {
            year: rng.i32(years),
            month: rng.u32(1..=12),
            day: rng.u32(1..=28),
        }
    }

    /// `days` later, in 28-day months: close enough for a letter's chronology.
    pub(crate) fn after(self, days: u32) -> Day {
        let total = (self.month - 1) * 28 + (self.day - 1) + days;
        Day {
            year: self.year + (total / (12 * 28)) as i32,
            month: (total % (12 * 28)) / 28 + 1,
            day: total % 28 + 1,
        }
    }

    /// The day of a `YYYY-MM-DD` date.
    pub fn from_iso(iso: &str) -> Option<Day> {
        let mut parts = iso.splitn(3, '-');
        Some(Day {
            year: parts.next()?.parse().ok()?,
            month: parts.next()?.parse().ok()?,
            day: parts.next()?.parse().ok()?,
        })
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn written(self, rng: &mut Rng) -> String {
        if rng.u8(..10) == 0 {
            format!("{}/{}/{}", self.month, self.day, self.year)
        } else {
            format!("{:02}/{:02}/{}", self.month, self.day, self.year)
        }
    }
}
