//! The labelled header lines: case number, dates, priority. Labels can share a line
//! ("Date Assigned: 6/2/2014  Date of Injury: 9/5/1999") and the header page can be
//! missing, so each field is looked for on its own.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::model::{Dates, Priority};

/// How far into a letter its header block may reach, in bytes.
const HEADER_REACH: usize = 6000;

static CASE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bcase\s*(?:number|no\.?|#)?\s*:?\s*([a-z]{2,4}\d{2}-\d{4,8})\b")
        .expect("case number pattern is valid")
});

static BARE_CASE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(CM\d{2}-\d{5,8})\b").expect("bare case pattern is valid"));

static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?P<label>date\s+of\s+(?:the\s+)?injury|injury\s+date|doi|date\s+assigned|assigned\s+date|date\s+of\s+assignment|date\s+of\s+(?:imr\s+)?decision|(?:imr\s+|final\s+)?decision\s+date|(?:final\s+)?determination\s+date|date\s+of\s+(?:final\s+)?determination|dated|ur\s+(?:denial|decision)\s+date|date\s+of\s+ur\s+(?:decision|denial)|(?:date\s+of\s+)?utilization\s+review\s+(?:decision|denial)(?:\s+date)?|ur\s+date|date\s+(?:imr\s+)?application\s+received|(?:imr\s+)?application\s+received(?:\s+date)?|date\s+received)\s*:[ \t]*(?P<value>[^\s:]*(?:[ \t]+\d{1,2},?[ \t]+\d{4})?)",
    )
    .expect("date label pattern is valid")
});

static DATE_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})")
        .expect("date value pattern is valid")
});

static PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bpriority\s*:\s*(standard|expedited|urgent|regular)\b")
        .expect("priority pattern is valid")
});

/// What the header block says.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Header {
    pub case_number: Option<String>,
    pub dates: Dates,
    pub priority: Option<Priority>,
    pub warnings: Vec<String>,
}

/// Reads the header fields of `text`, the decoded letter before page furniture is
/// removed (the case number may only survive as furniture).
pub fn read_header(text: &str) -> Header {
    let mut header = Header {
        case_number: CASE_NUMBER
            .captures(text)
            .or_else(|| BARE_CASE_NUMBER.captures(text))
            .map(|c| c[1].to_uppercase()),
        ..Header::default()
    };
    let head = prefix(text, HEADER_REACH);
    for captures in DATE_LABEL.captures_iter(head) {
        let label = fold_label(&captures["label"]);
        let Some(slot) = date_slot(&mut header.dates, &label) else {
            continue;
        };
        if slot.is_some() {
            continue;
        }
        let value = captures["value"].trim();
        match DATE_VALUE.find(value).and_then(|m| parse_date(m.as_str())) {
            Some(date) => *slot = Some(date),
            None => header.warnings.push(format!(
                "header: {:?} is followed by {:?}, which is not a date",
                captures["label"].trim(),
                value
            )),
        }
    }
    header.priority = PRIORITY.captures(head).map(|c| {
        if c[1].eq_ignore_ascii_case("expedited") || c[1].eq_ignore_ascii_case("urgent") {
            Priority::Expedited
        } else {
            Priority::Standard
        }
    });
    header
}

fn fold_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn date_slot<'a>(dates: &'a mut Dates, label: &str) -> Option<&'a mut Option<String>> {
    let slot = if label.contains("injury") || label == "doi" {
        &mut dates.injury
    } else if label.contains("assign") {
        &mut dates.assigned
    } else if label.starts_with("ur ") || label.contains(" ur ") || label.contains("utilization") {
        &mut dates.ur_denial
    } else if label.contains("received") {
        &mut dates.application_received
    } else if label.contains("decision") || label.contains("determination") || label == "dated" {
        &mut dates.decision
    } else {
        return None;
    };
    Some(slot)
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

/// Parses a date as letters write them (`9/5/1999`, `09/05/99`, `2014-06-02`,
/// `June 2, 2014`) into `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(['.', ',']);
    let cleaned = text.replace([',', '.'], "");
    const FORMATS: &[&str] = &["%m/%d/%Y", "%m-%d-%Y", "%Y-%m-%d", "%B %d %Y", "%b %d %Y"];
    let plausible = |date: &NaiveDate| (1900..=2100).contains(&chrono::Datelike::year(date));
    FORMATS
        .iter()
        .filter_map(|f| NaiveDate::parse_from_str(&cleaned, f).ok())
        .find(plausible)
        .or_else(|| two_digit_year(text).filter(plausible))
        .map(|date| date.format("%Y-%m-%d").to_string())
}

fn two_digit_year(text: &str) -> Option<NaiveDate> {
    let (rest, year) = text.rsplit_once('/')?;
    if year.len() != 2 {
        return None;
    }
    NaiveDate::parse_from_str(&format!("{rest}/{year}"), "%m/%d/%y").ok()
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
