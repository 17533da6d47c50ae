//! Query text into tokens: words, phrases, operators, scopes, `~N` and `*`, each
//! with its position, so an error can say where.

use super::QueryError;

/// One token of a query.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Word(String),
    Phrase(String),
    Open,
    Close,
    And,
    Or,
    Not,
    Plus,
    Minus,
    /// `scope:` before a word or phrase.
    Scope(String),
    /// `~` or `~N` after a word or phrase.
    Tilde(Option<u32>),
    /// `*` after a word.
    Star,
}

impl Token {
    /// The token as an error message names it.
    pub(super) fn describe(&self) -> String {
        match self {
            Token::Word(w) => format!("word {w:?}"),
            Token::Phrase(p) => format!("phrase {p:?}"),
            Token::Open => "'('".into(),
            Token::Close => "')'".into(),
            Token::And => "AND".into(),
            Token::Or => "OR".into(),
            Token::Not => "NOT".into(),
            Token::Plus => "'+'".into(),
            Token::Minus => "'-'".into(),
            Token::Scope(s) => format!("field {s:?}"),
            Token::Tilde(_) => "'~'".into(),
            Token::Star => "'*'".into(),
        }
    }
}

/// Splits `input` into tokens with their 0-based character positions. `scopes`
/// are the field names a query may use.
pub(super) fn tokenize(input: &str, scopes: &[&str]) -> Result<Vec<(usize, Token)>, QueryError> {
    let mut lexer = Lexer {
        chars: input.chars().collect(),
        at: 0,
        tokens: Vec::new(),
        scopes,
    };
    while lexer.at < lexer.chars.len() {
        lexer.next_token()?;
    }
    Ok(lexer.tokens)
}

/// Where tokenizing stands.
struct Lexer<'a> {
    chars: Vec<char>,
    at: usize,
    tokens: Vec<(usize, Token)>,
    scopes: &'a [&'a str],
}

impl Lexer<'_> {
    /// Reads the token (or white space) at `at`.
    fn next_token(&mut self) -> Result<(), QueryError> {
        let c = self.chars[self.at];
        let single = match c {
            '(' => Some(Token::Open),
            ')' => Some(Token::Close),
            '+' => Some(Token::Plus),
            '-' if self.may_start_clause() => Some(Token::Minus),
            '*' if self.star_is_a_word() => Some(Token::Word("*".into())),
            '*' => Some(Token::Star),
            _ => None,
        };
        if let Some(token) = single {
            self.tokens.push((self.at, token));
            self.at += 1;
            return Ok(());
        }
        match c {
            c if c.is_whitespace() => {
                self.at += 1;
                Ok(())
            }
            c if c.is_control() => Err(error(
                self.at,
                format!("control character U+{:04X} is not allowed", c as u32),
            )),
            '~' => self.tilde(),
            '"' => self.phrase(),
            _ => self.word(),
        }
    }

    /// A '-' starts a clause (negation) where a clause can start; inside a word it
    /// is a hyphen ("L4-5"), which the word loop keeps.
    fn may_start_clause(&self) -> bool {
        !matches!(self.tokens.last(), Some((_, Token::Scope(_))))
    }

    /// A '*' alone (not right after a word) is the word that matches every item.
    fn star_is_a_word(&self) -> bool {
        !matches!(self.tokens.last(), Some((_, Token::Word(_))))
            || self
                .chars
                .get(self.at.wrapping_sub(1))
                .is_none_or(|p| p.is_whitespace())
    }

    /// `~` and the number after it, if any.
    fn tilde(&mut self) -> Result<(), QueryError> {
        let start = self.at;
        self.at += 1;
        let digits_start = self.at;
        while self.at < self.chars.len() && self.chars[self.at].is_ascii_digit() {
            self.at += 1;
        }
        let digits: String = self.chars[digits_start..self.at].iter().collect();
        let number = if digits.is_empty() {
            None
        } else {
            Some(digits.parse::<u32>().map_err(|_| {
                error(
                    digits_start,
                    format!("{digits} is too large a number after '~'"),
                )
            })?)
        };
        self.tokens.push((start, Token::Tilde(number)));
        Ok(())
    }

    /// A phrase between double quotes.
    fn phrase(&mut self) -> Result<(), QueryError> {
        let start = self.at;
        self.at += 1;
        let text_start = self.at;
        while self.at < self.chars.len() && self.chars[self.at] != '"' {
            self.at += 1;
        }
        if self.at == self.chars.len() {
            return Err(error(start, "this quote is never closed".into()));
        }
        let text: String = self.chars[text_start..self.at].iter().collect();
        self.at += 1;
        self.tokens.push((start, Token::Phrase(text)));
        Ok(())
    }

    /// A word, an operator spelt as a word, or a scope (a known field name before
    /// a colon).
    fn word(&mut self) -> Result<(), QueryError> {
        let start = self.at;
        while self.at < self.chars.len() && self.continues_word(start) {
            self.at += 1;
        }
        let word: String = self.chars[start..self.at].iter().collect();
        if self.chars.get(self.at) == Some(&':') {
            return self.scope(start, word);
        }
        let token = match word.as_str() {
            "AND" | "&&" => Token::And,
            "OR" | "||" => Token::Or,
            "NOT" => Token::Not,
            _ => Token::Word(word),
        };
        self.tokens.push((start, token));
        Ok(())
    }

    /// Whether the character at `at` belongs to the word begun at `start`.
    fn continues_word(&self, start: usize) -> bool {
        let c = self.chars[self.at];
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '(' | ')' | '"' | '~' | '*')
            && (c != ':' || self.colon_is_in_value(start))
    }

    /// A colon inside a scope's value ("guideline:/MTUS/ACOEM:x") is part of the
    /// value: only the first colon of a word ends a scope name.
    fn colon_is_in_value(&self, start: usize) -> bool {
        let before = &self.chars[start..self.at];
        before.contains(&':') || before.contains(&'/')
    }

    /// `word:`, which must name a scope and have a value after it.
    fn scope(&mut self, start: usize, word: String) -> Result<(), QueryError> {
        let name = word.to_lowercase();
        if !self.scopes.contains(&name.as_str()) {
            return Err(error(
                start,
                format!(
                    "unknown field {word:?}; fields are: {}",
                    self.scopes.join(", ")
                ),
            ));
        }
        self.at += 1;
        let value_starts = self.chars.get(self.at);
        if value_starts.is_none_or(|c| c.is_whitespace() || *c == ')') {
            return Err(error(
                start,
                format!("field {word:?} has no value after ':'"),
            ));
        }
        self.tokens.push((start, Token::Scope(name)));
        Ok(())
    }
}

/// An error at 0-based character `position`.
fn error(position: usize, message: String) -> QueryError {
    QueryError {
        position: position + 1,
        message,
    }
}
