//! English stemming with a memory: letters repeat the same words (boilerplate,
//! guideline names, drug names) millions of times, and the stemmer was the largest
//! cost of indexing. Tokens are the same as tantivy's `Stemmer`'s.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per thread before the memory starts afresh.
const MAX_REMEMBERED: usize = 200_000;

thread_local! {
    /// Each thread's memory of stems, shared by every copy of the analyzer on it:
    /// tantivy copies an analyzer for each segment it writes and for each search's
    /// snippets, and a memory per copy started empty every time (stemming the hits'
    /// rationales anew was a twelfth of a search's instructions).
    static STEMS: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
}

/// A token filter stemming English words, remembering each word's stem.
#[derive(Clone, Copy, Debug, Default)]
pub struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner }
    }
}

/// The tokenizer [`MemoStemmer`] wraps around another.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        STEMS.with_borrow_mut(|stems| {
            if stems.len() > MAX_REMEMBERED {
                stems.clear();
            }
        });
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        }
    }
}

/// The token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerStream<T> {
    tail: T,
    stemmer: rust_stemmers::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if stems_to_itself(&token.text) {
            return true;
        }
        STEMS.with_borrow_mut(|stems| match stems.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let word = std::mem::replace(&mut token.text, stem.clone());
                stems.insert(word, stem);
            }
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Words the English stemmer leaves as they are, known without asking it: the
/// shortest (it does not touch words under three letters) and numbers (its rules
/// are all about letters). Letters are full of both (dates, doses, "of", "to"), and
/// kept out of the memory they leave room for words.
fn stems_to_itself(word: &str) -> bool {
    word.len() < 3 || word.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{
        LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    };

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(format!("{}@{}", token.text, token.position));
        }
        out
    }

    #[test]
    fn the_same_tokens_as_tantivys_stemmer() {
        let base = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
        };
        let mut plain = base().filter(Stemmer::default()).build();
        let mut memo = base().filter(MemoStemmer).build();
        let text = "Radiculopathy radicular RADICULOPATHY; injections injected injecting \
                    the injections were medically necessary, necessarily";
        for _ in 0..3 {
            assert_eq!(tokens(&mut memo, text), tokens(&mut plain, text));
        }
    }

    proptest::proptest! {
        #[test]
        fn short_words_and_numbers_stem_to_themselves(word in "[a-z0-9'éß]{0,3}|[0-9]{3,12}") {
            let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
            if stems_to_itself(&word) {
                let stem = stemmer.stem(&word);
                proptest::prop_assert_eq!(stem.as_ref(), word.as_str());
            }
        }
    }
}
