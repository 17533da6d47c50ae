//! Citation lines into separate, canonical citations. A line like "Decision based on
//! MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303; 62.  Decision based on
//! Non-MTUS Citation Official Disability Guidelines (ODG) Low Back Chapter EMG and
//! NCS" holds two: `/MTUS/ACOEM/Chapter 12 Low Back Complaints` and
//! `/ODG/Low Back/EMG and NCS`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::FxBuildHasher;

use crate::text::Pattern;

use crate::model::{Citation, CitedBy, GuidelineSource};
use crate::text::KeyText;
use crate::vocab::{GuidelineBook, Vocabulary};

/// "Decision based on" and the prose forms of notice letters.
static LEAD_IN: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:decisions?\s+(?:was\s+|were\s+)?based\s+on|based\s+(?:his|her|his/her|his\s+or\s+her|its|their)\s+(?:decision|determination)s?\s+on|relied\s+(?:up)?on)(?:\s+the\b)?\s*:?",
    )
});

/// Where a citation of a known family starts.
static ANCHOR: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)(?:\bnon-?\s?mtus(?:\s+citations?)?\s*:?\s*)?(?P<family>\b(?:CA\s+|California\s+)?MTUS\b|\bMedical\s+Treatment\s+Utilization\s+Schedule\b|\bACOEM\b|\bOfficial\s+Disability\s+Guidelines?\b|\bODG\b|\bChronic\s+Pain\s+Medical\s+Treatment\b|\bPost-?\s?surgical\s+Treatment\b|\bAcupuncture\s+Medical\s+Treatment\b)|\bnon-?\s?mtus(?:\s+citations?)?\b",
    )
});

static NON_MTUS_PREFIX: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)^\s*non-?\s?mtus(?:\s+citations?)?\s*:?\s*"));

static PART_OF: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:which\s+(?:is|are)\s+(?:a\s+)?)?part\s+of\s+(?:the\s+)?$")
});

static PAGES: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:page\s*\(s\)|pages?|pgs?\.?|pp?\.)\s*:?\s*(?P<pages>[0-9]+(?:\s*(?:-|–)\s*[0-9]+)?(?:\s*(?:[;,&]|and)\s*[0-9]+(?:\s*(?:-|–)\s*[0-9]+)?)*)",
    )
});

static CHAPTER_NUMBER: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\bchapter\s+([0-9]{1,2})\b"));

/// Where a topic's name ends and prose begins.
static TOPIC_END: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)[,;]?\s(?:because|since|as\s+the|which|that|where|for\s+the\s+following)\s|\.\s",
    )
});

/// Where the reasons for relying on a citation begin.
static PROSE_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)[,;]?\s(?:because|since|as\s+the|for\s+the\s+following)\s")
});

/// Words that join a topic to what follows and are no part of it.
static DANGLING_WORDS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)^(?:(?:and|the|of|in|on|per|under|to)\b[\s,;:]*)+|(?:[\s,;:]+\b(?:and|the|of|in|on|per|under|to))+$",
    )
});

/// Sentences that say nothing was cited.
static NOTHING_CITED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:did\s+not\s+cite|no\s+(?:medical\s+)?(?:evidence|guidelines?|citations?)\s+(?:was|were)\s+(?:cited|provided)|not\s+cite\s+any|none\s+cited|^\s*none\.?\s*$)",
    )
});

/// How many citation lines each thread remembers.
const MEMO_CAPACITY: usize = 4096;

thread_local! {
    /// Citation lines already split, by vocabulary and text: letters repeat the same
    /// few hundred citation lines, and splitting one costs dozens of pattern searches.
    /// Keyed by the text's hash, so a lookup allocates nothing; the text is kept
    /// beside its citations to tell a collision from a hit.
    static MEMO: RefCell<HashMap<MemoKey, (String, Vec<Citation>), FxBuildHasher>> =
        RefCell::new(HashMap::default());
}

/// Vocabulary id, who cites, and the hash of the citation line.
type MemoKey = (u64, CitedBy, u64);

/// A quick hash: a collision costs a lookup that misses, never a wrong answer.
fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    FxBuildHasher.hash_one(text)
}

/// Splits `text` (whitespace folded) into the citations it holds.
pub fn split_citations(text: &str, cited_by: CitedBy, vocab: &Vocabulary) -> Vec<Citation> {
    if text.is_empty() {
        return Vec::new();
    }
    let key = (vocab.id(), cited_by, text_hash(text));
    let hit = MEMO.with(|memo| {
        memo.borrow()
            .get(&key)
            .filter(|(seen, _)| seen == text)
            .map(|(_, citations)| citations.clone())
    });
    if let Some(hit) = hit {
        return hit;
    }
    let citations = split_uncached(text, cited_by, vocab);
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(key, (text.to_string(), citations.clone()));
    });
    citations
}

fn split_uncached(text: &str, cited_by: CitedBy, vocab: &Vocabulary) -> Vec<Citation> {
    let book = &vocab.guidelines;
    let mut citations = Vec::new();
    for (piece, led_in) in pieces(text) {
        let segments = segments(piece);
        if segments.is_empty() {
            if let Some(citation) = other_citation(piece, led_in, cited_by, book) {
                citations.push(citation);
            }
            continue;
        }
        let found: Vec<Citation> = segments
            .into_iter()
            .flat_map(|range| classify(&piece[range], cited_by, book))
            .collect();
        // "... ODG Low Back, because the MTUS does not address ...": a bare mention
        // beside a real citation is prose, not a citation.
        let any_named = found.iter().any(names_a_part);
        citations.extend(found.into_iter().filter(|c| !any_named || names_a_part(c)));
    }
    citations
}

/// Whether a citation names more than its guideline family: an MTUS document, an
/// ODG chapter, or another source.
fn names_a_part(citation: &Citation) -> bool {
    match citation.source {
        GuidelineSource::Mtus => citation.document.is_some(),
        GuidelineSource::Odg => citation.chapter.is_some(),
        GuidelineSource::Other => true,
    }
}

/// The text split at each lead-in; whether each piece followed one.
fn pieces(text: &str) -> Vec<(&str, bool)> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut led_in = false;
    for m in LEAD_IN.find_iter(text) {
        pieces.push((&text[start..m.start()], led_in));
        start = m.end();
        led_in = true;
    }
    pieces.push((&text[start..], led_in));
    pieces.retain(|(p, _)| p.chars().any(char::is_alphanumeric));
    pieces
}

/// Ranges of `piece` that each hold one citation of a known family.
fn segments(piece: &str) -> Vec<Range<usize>> {
    let mut starts: Vec<(usize, usize, Option<bool>)> = Vec::new();
    for m in ANCHOR.captures_iter(piece) {
        let whole = m.get(0).expect("group 0 always matches");
        let is_odg = m.name("family").map(|f| {
            let f = f.as_str().to_ascii_lowercase();
            f.starts_with("official") || f == "odg"
        });
        let continues = starts.last().is_some_and(|&(_, prev_end, prev_family)| {
            let gap = &piece[prev_end..whole.start()];
            let same_family = prev_family.is_none() || is_odg.is_none() || prev_family == is_odg;
            let short_gap = gap.len() < 40 && !gap.contains([';', '.']);
            let bare_tail = !piece[whole.end()..].chars().any(char::is_alphanumeric);
            (same_family && short_gap) || PART_OF.is_match(&piece[..whole.start()]) || bare_tail
        });
        if continues {
            if let Some(last) = starts.last_mut() {
                last.1 = whole.end();
                last.2 = last.2.or(is_odg);
            }
        } else {
            starts.push((whole.start(), whole.end(), is_odg));
        }
    }
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(starts.len());
    for (i, &(start, _, _)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(piece.len(), |s| s.0);
        ranges.push(start..end);
    }
    ranges
}

/// A citation outside MTUS and ODG, when the piece names one.
fn other_citation(
    piece: &str,
    led_in: bool,
    cited_by: CitedBy,
    book: &GuidelineBook,
) -> Option<Citation> {
    if NOTHING_CITED.is_match(piece) {
        return None;
    }
    let raw = tidy(piece);
    let key = KeyText::new(&raw);
    let named = book
        .other_matcher
        .find_all(&key.folded)
        .first()
        .map(|m| book.other_sources[m.group].name.clone());
    if named.is_none() && !led_in {
        return None;
    }
    Some(Citation {
        cited_by,
        source: GuidelineSource::Other,
        facet: facet(&["Other"], named.as_deref(), None),
        document: named,
        chapter: None,
        topic: None,
        pages: pages_of(&raw).map(|(p, _)| p),
        raw,
    })
}

/// The citations of one segment: one per guideline topic it names, or one of its
/// chapter (or document) when it names none the vocabulary knows.
fn classify(segment: &str, cited_by: CitedBy, book: &GuidelineBook) -> Vec<Citation> {
    let raw = tidy(segment);
    if !raw.chars().any(char::is_alphanumeric) {
        return Vec::new();
    }
    let body = &raw[NON_MTUS_PREFIX.find(&raw).map_or(0, |m| m.end())..];
    let key = KeyText::new(body);
    let markers = book.marker_matcher.find_all(&key.folded);
    let Some(first_marker) = markers.first() else {
        return other_citation(body, true, cited_by, book)
            .map(|c| Citation { raw, ..c })
            .into_iter()
            .collect();
    };
    let pages = pages_of(body).map(|(p, _)| p);
    let mut citation = if first_marker.group == crate::vocab::ODG_MARKER {
        let after = markers
            .iter()
            .filter(|m| m.group == first_marker.group)
            .map(|m| m.end)
            .max()
            .unwrap_or(first_marker.end);
        odg_citation(body, &key, after, book)
    } else {
        mtus_citation(body, &key, book)
    };
    let topic_text = citation.topic.take().unwrap_or_default();
    let topic_text = TOPIC_END
        .find(&topic_text)
        .map_or(topic_text.as_str(), |m| &topic_text[..m.start()]);
    let topics = topics_named(&mut citation, topic_text, book);
    citation.cited_by = cited_by;
    citation.raw = raw;
    citation.pages = pages;
    if topics.is_empty() {
        citation.facet = facet_of(&citation);
        return vec![citation];
    }
    topics
        .into_iter()
        .map(|(topic, topic_pages)| {
            let mut one = citation.clone();
            one.topic = Some(topic);
            one.pages = topic_pages.or_else(|| one.pages.clone());
            one.facet = facet_of(&one);
            one
        })
        .collect()
}

/// The canonical topics `text` (a citation's words after its guideline and
/// chapter) names, each with the pages written after it; an MTUS citation that
/// names no document gets the one whose topics it names.
fn topics_named(
    citation: &mut Citation,
    text: &str,
    book: &GuidelineBook,
) -> Vec<(String, Option<String>)> {
    let key = KeyText::new(text);
    let found = match citation.source {
        GuidelineSource::Odg => book.odg_topics_in(&key.folded),
        GuidelineSource::Mtus => {
            let named = citation
                .document
                .as_deref()
                .and_then(|name| book.mtus_documents.iter().position(|d| d.name == name));
            match (named, book.unnamed_document) {
                (Some(document), _) => book.mtus_topics_in(document, &key.folded),
                (None, Some(unnamed)) => {
                    let found = book.mtus_topics_in(unnamed, &key.folded);
                    if !found.is_empty() {
                        citation.document = Some(book.mtus_documents[unnamed].name.clone());
                    }
                    found
                }
                (None, None) => Vec::new(),
            }
        }
        GuidelineSource::Other => Vec::new(),
    };
    let found: Vec<_> = found
        .into_iter()
        .filter(|t| heads_its_member(text, key.original_offset(t.start), book))
        .collect();
    let starts: Vec<usize> = found.iter().map(|t| key.original_offset(t.start)).collect();
    found
        .into_iter()
        .enumerate()
        .map(|(i, topic)| {
            let from = key.original_offset(topic.end);
            let to = starts.get(i + 1).copied().unwrap_or(text.len()).max(from);
            (topic.name, pages_of(&text[from..to]).map(|(p, _)| p))
        })
        .collect()
}

/// Most words before a topic's name in its member of a citation's list ("section
/// on Opioids", "Procedure Summary MRIs").
const WORDS_BEFORE_TOPIC: usize = 3;

/// Whether a topic named at `at` in `text` heads its member of the citation's
/// list (the text since the last ',', ';', ':' or "and"): a few words at most
/// before it, none of them prose ("when plain radiographs are nondiagnostic" names
/// no topic).
fn heads_its_member(text: &str, at: usize, book: &GuidelineBook) -> bool {
    let before = &text[..at];
    let member_start = before
        .rfind([',', ';', ':'])
        .map_or(0, |i| i + 1)
        .max(before.rfind(" and ").map_or(0, |i| i + 5));
    let words: Vec<&str> = before[member_start..].split_whitespace().collect();
    words.len() <= WORDS_BEFORE_TOPIC && !words.iter().any(|w| book.is_prose_word(w))
}

/// The facet path of a citation: its guideline, document, chapter and topic.
fn facet_of(citation: &Citation) -> String {
    match citation.source {
        GuidelineSource::Odg => facet(
            &["ODG"],
            citation.chapter.as_deref(),
            citation.topic.as_deref(),
        ),
        GuidelineSource::Mtus => {
            let mut head = vec!["MTUS"];
            head.extend(citation.document.as_deref());
            facet(
                &head,
                citation.chapter.as_deref(),
                citation.topic.as_deref(),
            )
        }
        GuidelineSource::Other => facet(&["Other"], citation.document.as_deref(), None),
    }
}

fn odg_citation(body: &str, key: &KeyText, after_marker: usize, book: &GuidelineBook) -> Citation {
    let tail = &key.folded[after_marker..];
    let chapter = book.odg_chapter_matcher.find_all(tail).into_iter().next();
    let (chapter_name, topic_from) = match chapter {
        Some(m) => (
            Some(book.odg_chapters[m.group].name.clone()),
            key.original_offset(after_marker + m.end),
        ),
        None => (None, key.original_offset(after_marker)),
    };
    Citation {
        cited_by: CitedBy::Reviewer,
        source: GuidelineSource::Odg,
        document: Some("Official Disability Guidelines".to_string()),
        chapter: chapter_name,
        topic: Some(body[topic_from..].to_string()),
        pages: None,
        facet: String::new(),
        raw: String::new(),
    }
}

fn mtus_citation(body: &str, key: &KeyText, book: &GuidelineBook) -> Citation {
    let mut citation = Citation {
        cited_by: CitedBy::Reviewer,
        source: GuidelineSource::Mtus,
        document: None,
        chapter: None,
        topic: None,
        pages: None,
        facet: String::new(),
        raw: String::new(),
    };
    let numbered = CHAPTER_NUMBER.captures(body).and_then(|c| {
        let chapter = book.acoem_chapter(c[1].parse().ok()?)?;
        let end = c.get(0).expect("group 0 always matches").end();
        Some((chapter, end))
    });
    let titled = book
        .acoem_chapter_matcher
        .find_all(&key.folded)
        .into_iter()
        .next();
    if let Some((chapter, number_end)) = numbered {
        citation.document = Some("ACOEM".to_string());
        citation.chapter = Some(chapter.canonical());
        let title_end = titled
            .filter(|m| {
                book.acoem_chapter_by_group(m.group).map(|c| c.number) == Some(chapter.number)
            })
            .map(|m| key.original_offset(m.end))
            .filter(|end| *end > number_end);
        citation.topic = Some(body[title_end.unwrap_or(number_end)..].to_string());
        return citation;
    }
    let document = book
        .mtus_document_matcher
        .find_all(&key.folded)
        .into_iter()
        .next();
    if let Some(m) = titled.filter(|_| document.is_none_or(|d| Some(d.group) == book.acoem)) {
        let chapter = book
            .acoem_chapter_by_group(m.group)
            .expect("the chapter matcher's groups are the ACOEM chapters");
        citation.document = Some("ACOEM".to_string());
        citation.chapter = Some(chapter.canonical());
        citation.topic = Some(body[key.original_offset(m.end)..].to_string());
        return citation;
    }
    match document {
        Some(m) => {
            citation.document = Some(book.mtus_documents[m.group].name.clone());
            citation.topic = Some(body[key.original_offset(m.end)..].to_string());
        }
        None => citation.topic = Some(body.to_string()),
    }
    citation
}

fn pages_of(text: &str) -> Option<(String, Range<usize>)> {
    PAGES.captures(text).map(|c| {
        let whole = c.get(0).expect("group 0 always matches");
        (c["pages"].trim().to_string(), whole.range())
    })
}

fn trim_punctuation(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ",;:.-–—/".contains(c))
}

/// A citation as written: whitespace folded, the prose that follows it ("because
/// ...", a dangling "and the") and outer punctuation trimmed.
fn tidy(text: &str) -> String {
    let folded = crate::text::fold_whitespace(text);
    let cited = PROSE_AFTER
        .find(&folded)
        .map_or(folded.as_str(), |m| &folded[..m.start()]);
    let mut tidied = trim_punctuation(cited);
    while let Some(m) = DANGLING_WORDS
        .find(tidied)
        .filter(|m| m.start() > 0 && !m.is_empty())
    {
        tidied = trim_punctuation(&tidied[..m.start()]);
    }
    tidied.to_string()
}

/// A facet path from its components; '/' inside a component becomes '-'.
fn facet(head: &[&str], chapter: Option<&str>, topic: Option<&str>) -> String {
    let mut path = String::new();
    for part in head.iter().copied().chain(chapter).chain(topic) {
        path.push('/');
        path.push_str(&part.replace('/', "-"));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facets(text: &str) -> Vec<String> {
        let vocab = Vocabulary::embedded();
        split_citations(text, CitedBy::Reviewer, &vocab)
            .into_iter()
            .map(|c| c.facet)
            .collect()
    }

    #[test]
    fn seed_reviewer_line() {
        let vocab = Vocabulary::embedded();
        let cites = split_citations(
            "Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303; 62. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Low Back Chapter EMG and NCS",
            CitedBy::Reviewer,
            &vocab,
        );
        assert_eq!(cites.len(), 2);
        assert_eq!(cites[0].facet, "/MTUS/ACOEM/Chapter 12 Low Back Complaints");
        assert_eq!(cites[0].pages.as_deref(), Some("303; 62"));
        assert_eq!(
            cites[0].raw,
            "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303; 62"
        );
        assert_eq!(
            cites[1].facet,
            "/ODG/Low Back/Electrodiagnostic studies (EDS)"
        );
        assert_eq!(
            cites[1].topic.as_deref(),
            Some("Electrodiagnostic studies (EDS)")
        );
        assert_eq!(cites[1].source, GuidelineSource::Odg);
    }

    #[test]
    fn notice_prose() {
        assert_eq!(
            facets("The Expert Reviewer based his/her decision on the MTUS Chronic Pain Medical Treatment Guidelines (2009), Opioids, pages 74-96, which is part of the MTUS."),
            vec!["/MTUS/Chronic Pain Medical Treatment Guidelines/Opioids"]
        );
        assert_eq!(
            facets("The Claims Administrator based its decision on the ACOEM Practice Guidelines, 2nd Edition (2004), Low Back Complaints, pages 303-305, which is part of the MTUS."),
            vec!["/MTUS/ACOEM/Chapter 12 Low Back Complaints"]
        );
    }

    #[test]
    fn several_on_one_line_and_nothing_cited() {
        assert_eq!(
            facets("Decision based on MTUS Chronic Pain Medical Treatment Guidelines Topical Analgesics Page(s): 111-113; ODG Pain (Chronic), Compound creams"),
            vec![
                "/MTUS/Chronic Pain Medical Treatment Guidelines/Topical Analgesics",
                "/ODG/Pain (Chronic)/Compound creams"
            ]
        );
        assert!(facets(
            "The Claims Administrator did not cite any medical evidence for its decision."
        )
        .is_empty());
        assert_eq!(
            facets("Decision based on Non-MTUS Citation UpToDate, Opioid use"),
            vec!["/Other/UpToDate"]
        );
    }
}
