//! The labelled header lines: case number, dates, priority. Labels can share a line
//! ("Date Assigned: 6/2/2014  Date of Injury: 9/5/1999") and the header page can be
//! missing, so each field is looked for on its own.

use std::sync::LazyLock;

use chrono::NaiveDate;

use crate::text::Pattern;

use crate::model::{Dates, Priority};

/// How far into a letter its header block may reach, in bytes.
const HEADER_REACH: usize = 6000;

static CASE_VALUE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"^[A-Za-z]{2,4}[0-9]{2}-[0-9]{4,8}\b"));

/// Looked for in the whole letter, hence a prefilter.
static BARE_CASE_NUMBER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::scanning(r"\bCM[0-9]{2}-[0-9]{5,8}\b"));

static DATE_VALUE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"^(?:[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]{1,2}-[0-9]{1,2}-(?:[0-9]{4}|[0-9]{2}\b)|[0-9]{4}-[0-9]{2}-[0-9]{2}|[A-Za-z]{3,9}\.?\s+[0-9]{1,2},?\s+[0-9]{4}|[0-9]{1,2}\s+[A-Za-z]{3,9}\.?,?\s+[0-9]{4})",
    )
});

/// What the header block says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub case_number: Option<String>,
    pub dates: Dates,
    pub priority: Option<Priority>,
    pub warnings: Vec<String>,
}

/// Headings that open a letter's body, after its header block.
const BODY_HEADINGS: &[&str] = &[
    "HOW THE IMR FINAL DETERMINATION",
    "CLINICAL CASE SUMMARY",
    "IMR ISSUES",
    "ISSUE AT DISPUTE",
    "CASE SUMMARY",
    "IMR DECISION",
    "DOCUMENTS REVIEWED",
];

fn starts_body(line: &str) -> bool {
    let line = line.trim_start();
    line.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_uppercase())
        && BODY_HEADINGS.iter().any(|h| line.starts_with(h))
}

/// Which date a header label gives, by its words (lowercase, single spaces).
const DATE_LABELS: &[(&str, DateField)] = &[
    ("date of injury", DateField::Injury),
    ("date of the injury", DateField::Injury),
    ("injury date", DateField::Injury),
    ("doi", DateField::Injury),
    ("date assigned", DateField::Assigned),
    ("assigned date", DateField::Assigned),
    ("date of assignment", DateField::Assigned),
    ("decision date", DateField::Decision),
    ("imr decision date", DateField::Decision),
    ("final decision date", DateField::Decision),
    ("date of decision", DateField::Decision),
    ("date of imr decision", DateField::Decision),
    ("determination date", DateField::Decision),
    ("final determination date", DateField::Decision),
    ("date of determination", DateField::Decision),
    ("date of final determination", DateField::Decision),
    ("dated", DateField::Decision),
    ("ur denial date", DateField::UrDenial),
    ("ur decision date", DateField::UrDenial),
    ("date of ur decision", DateField::UrDenial),
    ("date of ur denial", DateField::UrDenial),
    ("utilization review decision", DateField::UrDenial),
    ("utilization review denial", DateField::UrDenial),
    ("utilization review decision date", DateField::UrDenial),
    ("utilization review denial date", DateField::UrDenial),
    ("date of utilization review decision", DateField::UrDenial),
    ("date of utilization review denial", DateField::UrDenial),
    ("ur date", DateField::UrDenial),
    ("application received", DateField::ApplicationReceived),
    ("imr application received", DateField::ApplicationReceived),
    ("application received date", DateField::ApplicationReceived),
    ("date application received", DateField::ApplicationReceived),
    (
        "date imr application received",
        DateField::ApplicationReceived,
    ),
    ("date received", DateField::ApplicationReceived),
];

/// A date of the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateField {
    Injury,
    Assigned,
    Decision,
    UrDenial,
    ApplicationReceived,
}

impl DateField {
    fn slot(self, dates: &mut Dates) -> &mut Option<String> {
        match self {
            DateField::Injury => &mut dates.injury,
            DateField::Assigned => &mut dates.assigned,
            DateField::Decision => &mut dates.decision,
            DateField::UrDenial => &mut dates.ur_denial,
            DateField::ApplicationReceived => &mut dates.application_received,
        }
    }
}

/// Most words a header label has.
const LABEL_WORDS: usize = 6;

/// Reads the header fields of `text`, the decoded letter before page furniture is
/// removed (the case number may only survive as furniture).
pub fn read_header(text: &str) -> Header {
    let mut header = Header::default();
    let head = prefix(text, HEADER_REACH);
    // `lines` finds line ends with memchr; a file with lone '\r' line ends reads as
    // one long line, whose labels are still found. The header ends where the body's
    // first section starts.
    let header_lines = head
        .lines()
        .take_while(|line| !starts_body(line))
        .filter(|line| line.contains(':'));
    for line in header_lines {
        for (label, value) in labelled_values(line) {
            read_field(&mut header, &label, value);
        }
    }
    if header.case_number.is_none() {
        header.case_number = BARE_CASE_NUMBER
            .find(text)
            .map(|m| m.as_str().to_uppercase());
    }
    header
}

/// The `label: value` pairs of a line. Labels can share a line, so a label is the
/// last few words before its colon (matched by its end), and a value runs to two
/// spaces or to the next label.
fn labelled_values(line: &str) -> Vec<(String, &str)> {
    let colons: Vec<usize> = line.match_indices(':').map(|(at, _)| at).collect();
    let mut pairs = Vec::with_capacity(colons.len());
    let mut label_start = 0;
    for (k, &colon) in colons.iter().enumerate() {
        // The words before a colon can be a whole paragraph: only the last few
        // are read.
        let mut words: Vec<&str> = line[label_start..colon]
            .split_whitespace()
            .rev()
            .take(LABEL_WORDS)
            .collect();
        words.reverse();
        let label = words.join(" ");
        let value_end = colons.get(k + 1).copied().unwrap_or(line.len());
        let after = &line[colon + 1..value_end];
        let value_start = colon + 1 + (after.len() - after.trim_start().len());
        let gap = line[value_start..value_end]
            .find("  ")
            .map(|g| value_start + g);
        pairs.push((
            label.to_lowercase(),
            line[value_start..gap.unwrap_or(value_end)].trim(),
        ));
        label_start = gap.unwrap_or(colon + 1);
    }
    pairs
}

fn read_field(header: &mut Header, label: &str, value: &str) {
    let field = DATE_LABELS
        .iter()
        .filter(|(name, _)| ends_with_words(label, name))
        .max_by_key(|(name, _)| name.len())
        .map(|(_, field)| *field);
    if let Some(field) = field {
        let slot = field.slot(&mut header.dates);
        if slot.is_none() {
            match DATE_VALUE.find(value).and_then(|m| parse_date(m.as_str())) {
                Some(date) => *slot = Some(date),
                None => header.warnings.push(format!(
                    "header: {label:?} is followed by {value:?}, which is not a date"
                )),
            }
        }
    } else if ends_with_words(label, "priority") && header.priority.is_none() {
        let value = value.to_ascii_lowercase();
        header.priority = if value.starts_with("expedited") || value.starts_with("urgent") {
            Some(Priority::Expedited)
        } else if value.starts_with("standard") || value.starts_with("regular") {
            Some(Priority::Standard)
        } else {
            None
        };
    } else if ["case number", "case no.", "case no", "case #", "case"]
        .iter()
        .any(|name| ends_with_words(label, name))
        && header.case_number.is_none()
    {
        header.case_number = CASE_VALUE.find(value).map(|m| m.as_str().to_uppercase());
    }
}

/// Whether `label` ends with the whole words `name`.
fn ends_with_words(label: &str, name: &str) -> bool {
    // The last bytes first: most labels end otherwise, and that test is cheaper.
    label.as_bytes().last() == name.as_bytes().last()
        && label.ends_with(name)
        && (label.len() == name.len() || label.as_bytes()[label.len() - name.len() - 1] == b' ')
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
fn prefix(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Parses a date as letters write them (`9/5/1999`, `09/05/99`, `06-11-2014`,
/// `06-11-14`, `2014-06-02`, `June 2, 2014`, `Jan. 5, 2014`, `5 January 2014`)
/// into `YYYY-MM-DD`. A two-digit year is of the 1900s from 69 up, of the 2000s
/// below. A date no calendar has (`2/30/2014`) is `None`.
///
/// ```
/// use imr_search::parse::parse_date;
/// assert_eq!(parse_date("9/5/1999").as_deref(), Some("1999-09-05"));
/// assert_eq!(parse_date("June 2, 2014").as_deref(), Some("2014-06-02"));
/// assert_eq!(parse_date("5 January 2014").as_deref(), Some("2014-01-05"));
/// assert_eq!(parse_date("06-11-14").as_deref(), Some("2014-06-11"));
/// assert_eq!(parse_date("13/45/2014"), None);
/// ```
pub fn parse_date(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(['.', ',']);
    if let Some(date) = numeric_date(text) {
        return Some(date);
    }
    // "Sept." is how letters shorten September; chrono knows "Sep".
    let cleaned = text.replace([',', '.'], "").replace("Sept ", "Sep ");
    const FORMATS: &[&str] = &[
        "%m/%d/%Y", "%m-%d-%Y", "%Y-%m-%d", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y",
    ];
    let plausible = |date: &NaiveDate| (1900..=2100).contains(&chrono::Datelike::year(date));
    FORMATS
        .iter()
        .filter_map(|f| NaiveDate::parse_from_str(&cleaned, f).ok())
        .find(plausible)
        .or_else(|| two_digit_year(text).filter(plausible))
        .map(|date| iso(&date))
}

/// `date` as `YYYY-MM-DD`.
fn iso(date: &NaiveDate) -> String {
    use chrono::Datelike;
    // Digit by digit: `format!` with widths took a sixth of reading the header.
    // Years read are of four digits (see `parse_date`).
    let mut out = String::with_capacity(10);
    for (value, width) in [
        (date.year().unsigned_abs(), 4),
        (date.month(), 2),
        (date.day(), 2),
    ] {
        if !out.is_empty() {
            out.push('-');
        }
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
        }
    }
    out
}

/// The common numeric forms, m/d/yyyy, m-d-yyyy and yyyy-mm-dd, read without
/// trying every format in turn: most dates of most letters are written so.
fn numeric_date(text: &str) -> Option<String> {
    let separator = if text.contains('/') { '/' } else { '-' };
    let mut parts = text.split(separator);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = match number(a, 4..=4) {
        Some(year) if separator == '-' => (year, number(b, 1..=2)?, number(c, 1..=2)?),
        _ => (number(c, 4..=4)?, number(a, 1..=2)?, number(b, 1..=2)?),
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    (1900..=2100).contains(&year).then(|| iso(&date))
}

fn two_digit_year(text: &str) -> Option<NaiveDate> {
    let separator = if text.contains('/') { '/' } else { '-' };
    let (rest, year) = text.rsplit_once(separator)?;
    if year.len() != 2 || rest.matches(separator).count() != 1 {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{rest}/{year}"), &format!("%m{separator}%d/%y")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_written_form() {
        assert_eq!(parse_date("9/5/1999").as_deref(), Some("1999-09-05"));
        assert_eq!(parse_date("09/05/99").as_deref(), Some("1999-09-05"));
        assert_eq!(parse_date("June 2, 2014").as_deref(), Some("2014-06-02"));
        assert_eq!(parse_date("13/45/2014"), None);
        assert_eq!(parse_date("2014-06-02").as_deref(), Some("2014-06-02"));
        assert_eq!(parse_date("06-02-2014.").as_deref(), Some("2014-06-02"));
        assert_eq!(parse_date("2/30/2014"), None);
        assert_eq!(parse_date("6/2/1850"), None);
        assert_eq!(parse_date("6/2/2014/1"), None);
        assert_eq!(parse_date("+6/2/2014"), None);
        assert_eq!(parse_date("06-11-2014").as_deref(), Some("2014-06-11"));
        assert_eq!(parse_date("06-11-14").as_deref(), Some("2014-06-11"));
        assert_eq!(parse_date("3/5/75").as_deref(), Some("1975-03-05"));
        assert_eq!(parse_date("Jan. 5, 2014").as_deref(), Some("2014-01-05"));
        assert_eq!(parse_date("Sept. 5, 2014").as_deref(), Some("2014-09-05"));
        assert_eq!(parse_date("5 March 2011").as_deref(), Some("2011-03-05"));
        assert_eq!(parse_date("5 Mar. 2011").as_deref(), Some("2011-03-05"));
        assert_eq!(parse_date("February 30, 2014"), None);
        assert_eq!(parse_date("02-30-14"), None);
    }

    #[test]
    fn labels_sharing_a_line() {
        let header = read_header(
            "Case Number: CM14-0123456  Date Assigned: 6/2/2014\nDate of Injury:  9/5/1999   UR Denial Date: 05/13/2014\nDecision Date: 7/1/2014 Priority: Expedited\nApplication Received:  5/20/2014",
        );
        assert_eq!(header.case_number.as_deref(), Some("CM14-0123456"));
        assert_eq!(header.dates.assigned.as_deref(), Some("2014-06-02"));
        assert_eq!(header.dates.injury.as_deref(), Some("1999-09-05"));
        assert_eq!(header.dates.ur_denial.as_deref(), Some("2014-05-13"));
        assert_eq!(header.dates.decision.as_deref(), Some("2014-07-01"));
        assert_eq!(
            header.dates.application_received.as_deref(),
            Some("2014-05-20")
        );
        assert_eq!(header.priority, Some(Priority::Expedited));
        assert!(header.warnings.is_empty());
    }

    #[test]
    fn an_unreadable_date_is_a_warning() {
        let header = read_header("Decision Date: 13/45/2014\n");
        assert_eq!(header.dates.decision, None);
        assert_eq!(header.warnings.len(), 1);
    }
}
