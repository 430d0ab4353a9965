//! Dates as documents write them and as readers read them.
//!
//! Front matter may give `2020-05-22`, `2020-05`, `2020` or `22/5/2020`. A partial date
//! keeps its precision so that "2025" as a deadline means the end of 2025 and is shown
//! as "2025", not "31/12/2025".

use jiff::civil::Date;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    #[default]
    Year,
    Month,
    Day,
}

/// A calendar date with the precision it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct VnDate {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub precision: Precision,
}

impl VnDate {
    pub fn day(year: i16, month: i8, day: i8) -> Option<VnDate> {
        Date::new(year, month, day).ok()?;
        Some(VnDate { year, month, day, precision: Precision::Day })
    }

    /// The first day the date can mean ("2025" → 1/1/2025).
    pub fn start(&self) -> Date {
        Date::new(self.year, self.month.max(1), self.day.max(1)).expect("validated date")
    }

    /// The last day the date can mean ("2025" → 31/12/2025, "2022-02" → 28/2/2022).
    pub fn end(&self) -> Date {
        match self.precision {
            Precision::Day => self.start(),
            Precision::Month => self.start().last_of_month(),
            Precision::Year => Date::new(self.year, 12, 31).expect("valid"),
        }
    }

    /// "22/5/2020", "5/2020" or "2020".
    pub fn short(&self) -> String {
        let mut s = String::new();
        self.write_short(&mut s);
        s
    }

    fn write_short(&self, s: &mut String) {
        let _ = match self.precision {
            Precision::Day => write!(s, "{}/{}/{}", self.day, self.month, self.year),
            Precision::Month => write!(s, "{}/{}", self.month, self.year),
            Precision::Year => write!(s, "{}", self.year),
        };
    }

    /// ISO form for `<time datetime>` and data files: "2020-05-22", "2020-05", "2020".
    pub fn iso(&self) -> String {
        let mut s = String::new();
        self.write_iso(&mut s);
        s
    }

    fn write_iso(&self, s: &mut String) {
        let _ = match self.precision {
            Precision::Day => write!(s, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
            Precision::Month => write!(s, "{:04}-{:02}", self.year, self.month),
            Precision::Year => write!(s, "{:04}", self.year),
        };
    }

    pub(crate) fn from_date(d: Date) -> VnDate {
        VnDate { year: d.year(), month: d.month(), day: d.day(), precision: Precision::Day }
    }
}

/// Parse a date in one of the accepted forms; the error says which forms are accepted.
pub fn parse(text: &str) -> Result<VnDate, String> {
    let t = text.trim();
    // The forms are the caller's hint to give: said once, not in the message and again.
    let bad = || format!("`{t}` is not a date");
    let nums = |parts: &[&str]| -> Option<Vec<i32>> {
        parts
            .iter()
            .map(|p| {
                if !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()) {
                    p.parse().ok()
                } else {
                    None
                }
            })
            .collect()
    };
    let (y, m, d, precision) = if t.contains('/') {
        let parts: Vec<&str> = t.split('/').collect();
        let n = nums(&parts).ok_or_else(bad)?;
        match n.as_slice() {
            [d, m, y] => (*y, *m, *d, Precision::Day),
            [m, y] => (*y, *m, 1, Precision::Month),
            _ => return Err(bad()),
        }
    } else {
        let parts: Vec<&str> = t.split('-').collect();
        let n = nums(&parts).ok_or_else(bad)?;
        match n.as_slice() {
            [y, m, d] => (*y, *m, *d, Precision::Day),
            [y, m] => (*y, *m, 1, Precision::Month),
            [y] => (*y, 1, 1, Precision::Year),
            _ => return Err(bad()),
        }
    };
    if !(1900..=2200).contains(&y) {
        return Err(format!("`{t}`: the year {y} is out of range (1900–2200)"));
    }
    // Checked before narrowing: `257 as i8` is 1, and 2020-257-258 would be 2/1/2020.
    let not_a_day = || format!("`{t}` is not a day of the calendar");
    let (Ok(m), Ok(d)) = (i8::try_from(m), i8::try_from(d)) else { return Err(not_a_day()) };
    Date::new(y as i16, m, d).map_err(|_| not_a_day())?;
    Ok(VnDate { year: y as i16, month: m, day: d, precision })
}

/// Templates get the forms they show in every table: `d.short`, `d.iso`, `d.year`; the
/// written-out form is the `long_date` filter's, since its words are translation strings.
impl Serialize for VnDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Both forms in one buffer, one allocation instead of two: every result row of
        // every table carries a date.
        let mut buf = String::with_capacity(24);
        self.write_iso(&mut buf);
        let iso_end = buf.len();
        self.write_short(&mut buf);
        let mut st = s.serialize_struct("VnDate", 3)?;
        st.serialize_field("iso", &buf[..iso_end])?;
        st.serialize_field("short", &buf[iso_end..])?;
        st.serialize_field("year", &self.year)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_forms() {
        assert_eq!(parse("2020-05-22").unwrap().short(), "22/5/2020");
        assert_eq!(parse("22/5/2020").unwrap().iso(), "2020-05-22");
        assert_eq!(parse("2025").unwrap().short(), "2025");
        assert_eq!(parse("2022-12").unwrap().short(), "12/2022");
        assert_eq!(parse("5/2020").unwrap().iso(), "2020-05");
    }

    #[test]
    fn partial_dates_end_at_the_end_of_their_period() {
        assert_eq!(parse("2025").unwrap().end(), Date::new(2025, 12, 31).unwrap());
        assert_eq!(parse("2024-02").unwrap().end(), Date::new(2024, 2, 29).unwrap());
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse("2020-02-30").is_err());
        assert!(parse("31/4/2020").is_err());
        assert!(parse("hôm qua").is_err());
        assert!(parse("20200522").is_err());
        // Never wrapped into a smaller number (257 as i8 is 1).
        assert!(parse("2020-257-258").is_err());
        assert!(parse("300/14/2022").is_err());
        assert!(parse("2020-0-1").is_err());
    }
}
