//! The query language: words, `"phrases"`, proximity `"a b"~N`, prefixes `radicul*`,
//! typo tolerance `word~` (or `~N`), `AND`, `OR`, `NOT`, `+`, `-`, parentheses, and
//! field scopes (`treatment:EMG`, `decision:upheld`). Words next to each other must
//! all match (an implicit AND). `*` alone, or nothing, matches everything.

use std::fmt;

use lexer::{tokenize, Token};
use parser::QueryParser;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Every item.
    All,
    /// Every child.
    And(Vec<Node>),
    /// Any child.
    Or(Vec<Node>),
    /// Not the child.
    Not(Box<Node>),
    /// One word, in `scope` or in every text field.
    Word {
        /// The field or facet named before a colon.
        scope: Option<String>,
        /// The text as typed.
        text: String,
        /// Words starting so (`word*`).
        prefix: bool,
        /// Words within this many edits (`word~N`).
        fuzzy: Option<u8>,
    },
    /// Words in order, at most `slop` positions apart.
    Phrase {
        /// The field or facet named before a colon.
        scope: Option<String>,
        /// The text as typed.
        text: String,
        /// Positions the words may be out of place (`"a b"~N`).
        slop: u32,
    },
}

impl Node {
    /// Whether the query names `scope` anywhere (`family:notice`).
    pub fn names_scope(&self, scope: &str) -> bool {
        match self {
            Node::All => false,
            Node::And(children) | Node::Or(children) => {
                children.iter().any(|child| child.names_scope(scope))
            }
            Node::Not(inner) => inner.names_scope(scope),
            Node::Word { scope: named, .. } | Node::Phrase { scope: named, .. } => {
                named.as_deref() == Some(scope)
            }
        }
    }
}

/// A query that cannot be read: what is wrong and where (1-based character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based character position.
    pub position: usize,
    /// What is wrong.
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

mod lexer;
mod parser;

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
            other => format!("unexpected {}", other.describe()),
        };
        return Err(QueryError { position, message });
    }
    Ok(node)
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
