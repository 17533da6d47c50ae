//! Folded keys: text reduced to lowercase words, so that names match whatever their
//! punctuation ("Knee & Leg" = "knee and leg", "Page(s):" = "page s").

/// `text` folded: letters and digits lowercased, `&` as `and`, every other run of
/// characters as one space.
pub fn fold_key(text: &str) -> String {
    KeyText::new(text).folded
}

/// A folded key and, for each of its bytes, the offset of the original character it
/// came from, to map matches in the key back to the text.
#[derive(Debug, Clone)]
pub struct KeyText {
    /// The text folded: lowercase ASCII letters and digits, single spaces.
    pub folded: String,
    offsets: Vec<usize>,
    original_len: usize,
}

impl KeyText {
    /// Folds `text`, keeping the offset map.
    pub fn new(text: &str) -> KeyText {
        let mut folded = String::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len());
        let mut push = |folded: &mut String, s: &str, at: usize| {
            folded.push_str(s);
            offsets.extend(std::iter::repeat_n(at, s.len()));
        };
        for (at, c) in text.char_indices() {
            if c.is_alphanumeric() {
                let mut buffer = [0u8; 4];
                for lower in c.to_lowercase() {
                    push(&mut folded, lower.encode_utf8(&mut buffer), at);
                }
            } else {
                let separator = if c == '&' { " and " } else { " " };
                let separator = if folded.ends_with(' ') || folded.is_empty() {
                    separator.trim_start()
                } else {
                    separator
                };
                push(&mut folded, separator, at);
            }
        }
        KeyText {
            folded,
            offsets,
            original_len: text.len(),
        }
    }

    /// Offset in the original text of the key's byte `index` (its length at the end).
    pub fn original_offset(&self, index: usize) -> usize {
        self.offsets
            .get(index)
            .copied()
            .unwrap_or(self.original_len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_and_ampersands_fold() {
        assert_eq!(
            fold_key("Knee & Leg (Acute & Chronic)"),
            "knee and leg acute and chronic "
        );
        assert_eq!(fold_key("  Low-Back"), "low back");
    }

    #[test]
    fn offsets_map_back() {
        let key = KeyText::new("ODG: Low Back");
        let at = key.folded.find("low").unwrap();
        assert_eq!(key.original_offset(at), 5);
        assert_eq!(key.original_offset(key.folded.len()), 13);
    }
}
