//! The query language: words, `"phrases"`, proximity `"a b"~N`, prefixes `radicul*`,
//! typo tolerance `word~` (or `~N`), `AND`, `OR`, `NOT`, `+`, `-`, parentheses, and
//! field scopes (`treatment:EMG`, `decision:upheld`). Words next to each other must
//! all match (an implicit AND). `*` alone, or nothing, matches everything.

use std::fmt;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Every item.
    All,
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// One word, in `scope` or in every text field.
    Word {
        scope: Option<String>,
        text: String,
        prefix: bool,
        fuzzy: Option<u8>,
    },
    /// Words in order, at most `slop` positions apart.
    Phrase {
        scope: Option<String>,
        text: String,
        slop: u32,
    },
}

/// A query that cannot be read: what is wrong and where (1-based character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub position: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at position {}: {}", self.position, self.message)
    }
}

impl std::error::Error for QueryError {}

/// Largest edit distance a fuzzy word may ask for.
pub const MAX_FUZZY_DISTANCE: u8 = 2;

/// Deepest nesting of parentheses and operators: deeper would exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 10_000;

/// Most words and phrases in one query.
pub const MAX_TERMS: usize = 256;

#[derive(Debug, Clone, PartialEq)]
enum Token {
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

/// Parses `input`. `scopes` are the field names a query may use.
pub fn parse(input: &str, scopes: &[&str]) -> Result<Node, QueryError> {
    if let Some((at, _)) = input.char_indices().nth(MAX_QUERY_CHARS) {
        return Err(QueryError {
            position: input[..at].chars().count() + 1,
            message: format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        });
    }
    let tokens = tokenize(input, scopes)?;
    let terms = tokens
        .iter()
        .filter(|(_, t)| matches!(t, Token::Word(_) | Token::Phrase(_)));
    if let Some((position, _)) = terms.clone().nth(MAX_TERMS) {
        return Err(QueryError {
            position: position + 1,
            message: format!("the query has more than {MAX_TERMS} words and phrases"),
        });
    }
    if tokens.is_empty() {
        return Ok(Node::All);
    }
    let mut parser = QueryParser {
        tokens,
        next: 0,
        depth: 0,
    };
    let node = parser.or_expression()?;
    if let Some((position, token)) = parser.peek() {
        let message = match token {
            Token::Close => "')' closes no parenthesis".to_string(),
            other => format!("unexpected {}", describe(other)),
        };
        return Err(QueryError { position, message });
    }
    Ok(node)
}

fn describe(token: &Token) -> String {
    match token {
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

fn tokenize(input: &str, scopes: &[&str]) -> Result<Vec<(usize, Token)>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let error = |position: usize, message: String| QueryError {
        position: position + 1,
        message,
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        match c {
            c if c.is_whitespace() => i += 1,
            c if c.is_control() => {
                return Err(error(
                    i,
                    format!("control character U+{:04X} is not allowed", c as u32),
                ))
            }
            '(' => {
                tokens.push((start, Token::Open));
                i += 1;
            }
            ')' => {
                tokens.push((start, Token::Close));
                i += 1;
            }
            '+' => {
                tokens.push((start, Token::Plus));
                i += 1;
            }
            '-' if tokens_may_start_clause(&tokens) => {
                tokens.push((start, Token::Minus));
                i += 1;
            }
            '*' if !matches!(tokens.last(), Some((_, Token::Word(_))))
                || chars
                    .get(i.wrapping_sub(1))
                    .is_none_or(|p| p.is_whitespace()) =>
            {
                tokens.push((start, Token::Word("*".into())));
                i += 1;
            }
            '*' => {
                tokens.push((start, Token::Star));
                i += 1;
            }
            '~' => {
                i += 1;
                let digits_start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[digits_start..i].iter().collect();
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
                tokens.push((start, Token::Tilde(number)));
            }
            '"' => {
                i += 1;
                let text_start = i;
                while i < chars.len() && chars[i] != '"' {
                    i += 1;
                }
                if i == chars.len() {
                    return Err(error(start, "this quote is never closed".into()));
                }
                let text: String = chars[text_start..i].iter().collect();
                i += 1;
                tokens.push((start, Token::Phrase(text)));
            }
            _ => {
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !chars[i].is_control()
                    && !matches!(chars[i], '(' | ')' | '"' | '~' | '*')
                    && (chars[i] != ':' || colon_is_in_value(&chars, start, i))
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if i < chars.len() && chars[i] == ':' {
                    let name = word.to_lowercase();
                    if !scopes.contains(&name.as_str()) {
                        return Err(error(
                            start,
                            format!("unknown field {word:?}; fields are: {}", scopes.join(", ")),
                        ));
                    }
                    i += 1;
                    if i >= chars.len() || chars[i].is_whitespace() || chars[i] == ')' {
                        return Err(error(
                            start,
                            format!("field {word:?} has no value after ':'"),
                        ));
                    }
                    tokens.push((start, Token::Scope(name)));
                    continue;
                }
                let token = match word.as_str() {
                    "AND" | "&&" => Token::And,
                    "OR" | "||" => Token::Or,
                    "NOT" => Token::Not,
                    _ => Token::Word(word),
                };
                tokens.push((start, token));
            }
        }
    }
    Ok(tokens)
}

/// A '-' starts a clause (negation) where a clause can start; inside a word it is a
/// hyphen ("L4-5"), which the word loop keeps.
fn tokens_may_start_clause(tokens: &[(usize, Token)]) -> bool {
    !matches!(tokens.last(), Some((_, Token::Scope(_))))
}

/// A colon inside a scope's value ("guideline:/MTUS/ACOEM:x") is part of the value:
/// only the first colon of a word ends a scope name.
fn colon_is_in_value(chars: &[char], start: usize, at: usize) -> bool {
    chars[start..at].contains(&':') || chars[start..at].contains(&'/')
}

struct QueryParser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    depth: usize,
}

impl QueryParser {
    fn peek(&self) -> Option<(usize, &Token)> {
        self.tokens.get(self.next).map(|(p, t)| (p + 1, t))
    }

    fn advance(&mut self) -> Option<(usize, Token)> {
        let token = self.tokens.get(self.next).cloned().map(|(p, t)| (p + 1, t));
        self.next += 1;
        token
    }

    fn or_expression(&mut self) -> Result<Node, QueryError> {
        let mut alternatives = vec![self.and_expression()?];
        while let Some((position, Token::Or)) = self.peek() {
            self.advance();
            if self.at_clause_end() {
                return Err(QueryError {
                    position,
                    message: "OR has nothing after it".into(),
                });
            }
            alternatives.push(self.and_expression()?);
        }
        Ok(if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            Node::Or(alternatives)
        })
    }

    fn at_clause_end(&self) -> bool {
        matches!(
            self.peek(),
            None | Some((_, Token::Close)) | Some((_, Token::Or)) | Some((_, Token::And))
        )
    }

    fn and_expression(&mut self) -> Result<Node, QueryError> {
        let mut all = Vec::new();
        loop {
            match self.peek() {
                None | Some((_, Token::Close)) | Some((_, Token::Or)) => break,
                Some((position, Token::And)) => {
                    if all.is_empty() {
                        return Err(QueryError {
                            position,
                            message: "AND has nothing before it".into(),
                        });
                    }
                    self.advance();
                    if self.at_clause_end() {
                        return Err(QueryError {
                            position,
                            message: "AND has nothing after it".into(),
                        });
                    }
                }
                Some(_) => all.push(self.unary()?),
            }
        }
        if all.is_empty() {
            let (position, message) = match self.peek() {
                Some((position, Token::Or)) => (position, "OR has nothing before it"),
                Some((position, _)) => (position, "empty parentheses"),
                None => (
                    self.tokens.last().map_or(1, |(p, _)| p + 1),
                    "nothing to search for",
                ),
            };
            return Err(QueryError {
                position,
                message: message.into(),
            });
        }
        Ok(if all.len() == 1 {
            all.remove(0)
        } else {
            Node::And(all)
        })
    }

    /// Parses `inner` one level deeper, refusing to go past [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        position: usize,
        inner: impl FnOnce(&mut Self) -> Result<T, QueryError>,
    ) -> Result<T, QueryError> {
        if self.depth >= MAX_DEPTH {
            return Err(QueryError {
                position,
                message: format!("parentheses and operators nest deeper than {MAX_DEPTH} levels"),
            });
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        match self.peek() {
            Some((position, Token::Not | Token::Minus)) => {
                self.advance();
                if self.at_clause_end() {
                    return Err(QueryError {
                        position,
                        message: "NOT (or '-') has nothing after it".into(),
                    });
                }
                let inner = self.nested(position, Self::unary)?;
                Ok(Node::Not(Box::new(inner)))
            }
            Some((position, Token::Plus)) => {
                self.advance();
                if self.at_clause_end() {
                    return Err(QueryError {
                        position,
                        message: "'+' has nothing after it".into(),
                    });
                }
                self.nested(position, Self::unary)
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        let Some((position, token)) = self.advance() else {
            return Err(QueryError {
                position: 1,
                message: "nothing to search for".into(),
            });
        };
        match token {
            Token::Open => {
                if self.peek().is_none() {
                    return Err(QueryError {
                        position,
                        message: "this parenthesis is never closed".into(),
                    });
                }
                let inner = self.nested(position, Self::or_expression)?;
                match self.advance() {
                    Some((_, Token::Close)) => Ok(inner),
                    _ => Err(QueryError {
                        position,
                        message: "this parenthesis is never closed".into(),
                    }),
                }
            }
            Token::Scope(scope) => match self.advance() {
                Some((p, Token::Word(w))) => self.word(Some(scope), w, p),
                Some((_, Token::Phrase(text))) => self.phrase(Some(scope), text),
                _ => Err(QueryError {
                    position,
                    message: format!("field {scope:?} needs a word or a \"phrase\" after ':'"),
                }),
            },
            Token::Word(w) if w == "*" => Ok(Node::All),
            Token::Word(w) => self.word(None, w, position),
            Token::Phrase(text) => self.phrase(None, text),
            other => Err(QueryError {
                position,
                message: format!("unexpected {}", describe(&other)),
            }),
        }
    }

    fn word(
        &mut self,
        scope: Option<String>,
        text: String,
        position: usize,
    ) -> Result<Node, QueryError> {
        let mut prefix = false;
        let mut fuzzy = None;
        if let Some((_, Token::Star)) = self.peek() {
            self.advance();
            prefix = true;
        }
        if let Some((at, Token::Tilde(distance))) = self.peek() {
            let distance = distance.unwrap_or(1);
            if distance > MAX_FUZZY_DISTANCE as u32 {
                return Err(QueryError {
                    position: at,
                    message: format!(
                        "a word can be fuzzy by 1 or {MAX_FUZZY_DISTANCE} edits, not {distance}"
                    ),
                });
            }
            self.advance();
            fuzzy = Some(distance as u8);
        }
        if prefix && fuzzy.is_some() {
            return Err(QueryError {
                position,
                message: "a word cannot be both a prefix and fuzzy".into(),
            });
        }
        Ok(Node::Word {
            scope,
            text,
            prefix,
            fuzzy,
        })
    }

    fn phrase(&mut self, scope: Option<String>, text: String) -> Result<Node, QueryError> {
        let mut slop = 0;
        if let Some((_, Token::Tilde(distance))) = self.peek() {
            slop = distance.unwrap_or(1);
            self.advance();
        }
        Ok(Node::Phrase { scope, text, slop })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCOPES: &[&str] = &["treatment", "decision", "guideline", "case"];

    fn word(text: &str) -> Node {
        Node::Word {
            scope: None,
            text: text.into(),
            prefix: false,
            fuzzy: None,
        }
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(parse("", SCOPES), Ok(Node::All));
        assert_eq!(parse(" * ", SCOPES), Ok(Node::All));
        assert_eq!(
            parse("emg ncv", SCOPES),
            Ok(Node::And(vec![word("emg"), word("ncv")]))
        );
        assert_eq!(
            parse("emg OR ncv", SCOPES),
            Ok(Node::Or(vec![word("emg"), word("ncv")]))
        );
        assert_eq!(
            parse("emg -ncv", SCOPES),
            Ok(Node::And(vec![
                word("emg"),
                Node::Not(Box::new(word("ncv")))
            ]))
        );
        assert_eq!(parse("L4-5", SCOPES), Ok(word("L4-5")));
        assert_eq!(
            parse("\"nerve conduction\"~3", SCOPES),
            Ok(Node::Phrase {
                scope: None,
                text: "nerve conduction".into(),
                slop: 3
            })
        );
        assert_eq!(
            parse("radicul*", SCOPES),
            Ok(Node::Word {
                scope: None,
                text: "radicul".into(),
                prefix: true,
                fuzzy: None
            })
        );
        assert_eq!(
            parse("radiculopahty~", SCOPES),
            Ok(Node::Word {
                scope: None,
                text: "radiculopahty".into(),
                prefix: false,
                fuzzy: Some(1)
            })
        );
        assert_eq!(
            parse("guideline:/MTUS/ACOEM decision:upheld", SCOPES),
            Ok(Node::And(vec![
                Node::Word {
                    scope: Some("guideline".into()),
                    text: "/MTUS/ACOEM".into(),
                    prefix: false,
                    fuzzy: None
                },
                Node::Word {
                    scope: Some("decision".into()),
                    text: "upheld".into(),
                    prefix: false,
                    fuzzy: None
                },
            ]))
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        let err = |q: &str| parse(q, SCOPES).unwrap_err();
        assert_eq!(err("emg \"nerve").position, 5);
        assert!(err("emg \"nerve").message.contains("never closed"));
        assert_eq!(err("(emg").position, 1);
        assert_eq!(err("emg)").position, 4);
        assert!(err("emg AND").message.contains("nothing after"));
        assert!(err("OR emg").message.contains("nothing before"));
        assert!(err("bogus:x").message.contains("unknown field"));
        assert!(err("treatment:").message.contains("no value"));
        assert!(err("emg~9").message.contains("not 9"));
        assert!(err("()").message.contains("empty"));
        assert!(err("a\u{7}b").message.contains("control character"));
        let deep = format!("{}emg{}", "(".repeat(4_000), ")".repeat(4_000));
        assert!(err(&deep).message.contains("deeper"));
        assert!(err(&"NOT ".repeat(1_000)).message.contains("deeper"));
        assert!(err(&"+".repeat(1_000)).message.contains("deeper"));
        assert!(err(&"x".repeat(20_000)).message.contains("longer than"));
        assert!(err(&"emg ".repeat(300)).message.contains("more than 256"));
        assert!(parse(&format!("{}emg{}", "(".repeat(60), ")".repeat(60)), SCOPES).is_ok());
    }
}
