//! Word pairs as terms: each two consecutive tokens of a text as one token, so a
//! two-word phrase is found by one term's postings instead of by reading and
//! matching the positions of both words in every document that has them. Phrases
//! of words nearly every rationale says ("medically necessary") otherwise read
//! positions in millions of items.

use std::sync::Arc;

use rustc_hash::FxHashSet;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The tokenizer of pair fields: `en_stem`'s tokens, paired.
pub const PAIRS_TOKENIZER: &str = "en_stem_pairs";

/// What separates the two words of a pair token: the tokenizer never leaves a
/// space inside a word, so no single word can be taken for a pair.
const SEPARATOR: char = ' ';

/// The pair token of two tokens, as the pair field holds it.
pub fn pair_token(first: &str, second: &str) -> String {
    let mut pair = String::with_capacity(first.len() + 1 + second.len());
    pair.push_str(first);
    pair.push(SEPARATOR);
    pair.push_str(second);
    pair
}

/// The words whose pairs a `"common"` pairs field holds: the stems most items'
/// text has, chosen from the corpus when a generation is created and kept in its
/// manifest. Phrases most items contain are two of these ("medically
/// necessary"), and those are the slow ones to answer from positions; a pair of
/// rarer words is quick from positions already.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommonWords {
    /// None: every word pairs (a field of all pairs).
    words: Option<Arc<FxHashSet<String>>>,
}

impl CommonWords {
    /// Every word pairs.
    pub fn all() -> CommonWords {
        CommonWords { words: None }
    }

    /// Only these stems pair.
    pub fn of(words: impl IntoIterator<Item = String>) -> CommonWords {
        CommonWords {
            words: Some(Arc::new(words.into_iter().collect())),
        }
    }

    /// Whether `word` pairs.
    pub fn contains(&self, word: &str) -> bool {
        self.words.as_ref().is_none_or(|words| words.contains(word))
    }

    /// Whether the two words of a pair both pair.
    pub fn pairs(&self, first: &str, second: &str) -> bool {
        self.contains(first) && self.contains(second)
    }
}

/// A token filter turning a stream of tokens into the stream of their consecutive
/// pairs (of common words only, where [`CommonWords`] says which). Tokens whose
/// positions are not consecutive (a word dropped between them, such as one too
/// long to index) make no pair, as they make no phrase.
#[derive(Clone, Debug, Default)]
pub struct WordPairs {
    common: CommonWords,
}

impl WordPairs {
    /// Pairs of the words `common` lets pair.
    pub fn of(common: CommonWords) -> WordPairs {
        WordPairs { common }
    }
}

impl TokenFilter for WordPairs {
    type Tokenizer<T: Tokenizer> = WordPairsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> WordPairsFilter<T> {
        WordPairsFilter {
            inner,
            common: self.common,
        }
    }
}

/// The tokenizer [`WordPairs`] wraps around another.
#[derive(Clone)]
pub struct WordPairsFilter<T> {
    inner: T,
    common: CommonWords,
}

impl<T: Tokenizer> Tokenizer for WordPairsFilter<T> {
    type TokenStream<'a> = WordPairsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordPairsStream {
            tail: self.inner.token_stream(text),
            common: &self.common,
            previous: None,
            pair: Token::default(),
        }
    }
}

/// The token stream of [`WordPairsFilter`].
pub struct WordPairsStream<'a, T> {
    tail: T,
    common: &'a CommonWords,
    /// The last token read: its position, start offset and text.
    previous: Option<(usize, usize, String)>,
    pair: Token,
}

impl<T: TokenStream> TokenStream for WordPairsStream<'_, T> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token();
            let Some((position, offset_from, text)) = self.previous.as_mut() else {
                self.previous = Some((token.position, token.offset_from, token.text.clone()));
                continue;
            };
            let paired = *position + 1 == token.position && self.common.pairs(text, &token.text);
            if paired {
                self.pair.text.clear();
                self.pair.text.push_str(text);
                self.pair.text.push(SEPARATOR);
                self.pair.text.push_str(&token.text);
                self.pair.position = *position;
                self.pair.offset_from = *offset_from;
                self.pair.offset_to = token.offset_to;
            }
            // The buffers are reused: a pair field sees every word of the text.
            *position = token.position;
            *offset_from = token.offset_from;
            text.clear();
            text.push_str(&token.text);
            if paired {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

    use super::*;

    fn pairs(text: &str) -> Vec<(String, usize)> {
        pairs_of(text, CommonWords::all())
    }

    fn pairs_of(text: &str, common: CommonWords) -> Vec<(String, usize)> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(10))
            .filter(LowerCaser)
            .filter(WordPairs::of(common))
            .build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((token.text.clone(), token.position));
        }
        out
    }

    #[test]
    fn consecutive_words_pair_up_at_the_first_ones_position() {
        assert_eq!(
            pairs("Not medically necessary."),
            vec![
                ("not medically".to_string(), 0),
                ("medically necessary".to_string(), 1)
            ]
        );
    }

    #[test]
    fn only_common_words_pair_where_the_field_says() {
        let common = CommonWords::of(["not", "medically", "necessary"].map(String::from));
        assert_eq!(
            pairs_of("Not medically necessary for zolpidem", common),
            vec![
                ("not medically".to_string(), 0),
                ("medically necessary".to_string(), 1)
            ]
        );
    }

    #[test]
    fn a_dropped_word_breaks_the_chain() {
        // "extraordinarily" is longer than the limit: no pair spans its gap.
        assert_eq!(
            pairs("is extraordinarily rare here"),
            vec![("rare here".to_string(), 2)]
        );
    }

    #[test]
    fn fewer_than_two_words_make_no_pair() {
        assert!(pairs("").is_empty());
        assert!(pairs("  word  ").is_empty());
    }

    #[test]
    fn the_pair_token_is_what_the_filter_writes() {
        assert_eq!(pairs("range motion")[0].0, pair_token("range", "motion"));
    }
}
