//! Abbreviations and their long forms (`schema/synonyms.json`), as tokens: the
//! indexer adds a group's token to a field's synonym companion wherever the text names
//! any member, and a query for any member also asks for the token, so EMG finds
//! electromyography and the other way round.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::IndexError;
use crate::vocab::TermMatcher;

#[derive(Deserialize)]
struct SynonymsFile {
    groups: Vec<Vec<String>>,
}

/// The synonym groups, their members by name, and a matcher over the members.
#[derive(Debug)]
pub struct Synonyms {
    tokens: Vec<String>,
    groups: Vec<Vec<String>>,
    /// For a query's phrases: each member, ASCII-lowercased, and its group (the
    /// first group that lists it).
    members: HashMap<String, usize>,
    /// For letters' text, built when first needed: building an automaton was a
    /// fifth of a search process's instructions, and searches never need it.
    scanner: OnceLock<TermMatcher>,
}

impl Synonyms {
    /// The groups compiled into the program.
    pub fn embedded() -> Synonyms {
        Synonyms::from_json(crate::embedded::SYNONYMS_JSON)
            .expect("the synonyms compiled into the program are valid")
    }

    fn from_json(text: &str) -> Result<Synonyms, IndexError> {
        let file: SynonymsFile = serde_json::from_str(text)
            .map_err(|e| IndexError::Schema(format!("schema/synonyms.json: {e}")))?;
        let tokens = file
            .groups
            .iter()
            .map(|group| {
                format!(
                    "syn:{}",
                    group.first().map_or("", |m| m.as_str()).to_lowercase()
                )
            })
            .collect();
        let mut members = HashMap::new();
        for (group, names) in file.groups.iter().enumerate() {
            for name in names {
                let name = name.trim().to_ascii_lowercase();
                if !name.is_empty() {
                    members.entry(name).or_insert(group);
                }
            }
        }
        Ok(Synonyms {
            tokens,
            groups: file.groups,
            members,
            scanner: OnceLock::new(),
        })
    }

    /// The tokens of every group `text` names, each once.
    pub fn tokens_in(&self, text: &str) -> Vec<&str> {
        let scanner = self.scanner.get_or_init(|| {
            // A few hundred phrases, compiled in and tested below.
            TermMatcher::for_long_texts(&self.groups)
                .expect("the synonyms compiled into the program build a matcher")
        });
        scanner
            .groups_in(text)
            .into_iter()
            .map(|g| self.tokens[g].as_str())
            .collect()
    }

    /// The token of the group whose member is exactly `phrase` (ignoring case).
    pub fn token_for(&self, phrase: &str) -> Option<&str> {
        let phrase = phrase.trim().to_ascii_lowercase();
        self.members
            .get(&phrase)
            .map(|&group| self.tokens[group].as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_share_a_token_both_ways() {
        let synonyms = Synonyms::embedded();
        let emg = synonyms.token_for("EMG").unwrap();
        assert_eq!(synonyms.token_for("Electromyography"), Some(emg));
        assert_eq!(synonyms.token_for("  emg "), Some(emg));
        assert_eq!(synonyms.token_for("EMG studies"), None);
        assert_eq!(
            synonyms.tokens_in("a bilateral electromyography today"),
            vec![emg]
        );
        let ncv = synonyms.token_for("nerve conduction studies").unwrap();
        assert_eq!(synonyms.token_for("NCV"), Some(ncv));
        assert_eq!(synonyms.token_for("nerve"), None);
    }
}
