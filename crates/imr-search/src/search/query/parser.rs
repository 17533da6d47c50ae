//! Tokens into a query tree, by recursive descent: OR binds loosest, then AND
//! (explicit or implied between neighbours), then NOT, `-` and `+`, then words,
//! phrases, scopes and parentheses.

use super::lexer::Token;
use super::{Node, QueryError, MAX_DEPTH, MAX_FUZZY_DISTANCE};

/// Where parsing stands: the tokens, the next one, and how deep the nesting is.
pub(super) struct QueryParser {
    pub(super) tokens: Vec<(usize, Token)>,
    pub(super) next: usize,
    pub(super) depth: usize,
}

impl QueryParser {
    pub(super) fn peek(&self) -> Option<(usize, &Token)> {
        self.tokens.get(self.next).map(|(p, t)| (p + 1, t))
    }

    fn advance(&mut self) -> Option<(usize, Token)> {
        let token = self.tokens.get(self.next).cloned().map(|(p, t)| (p + 1, t));
        self.next += 1;
        token
    }

    pub(super) fn or_expression(&mut self) -> Result<Node, QueryError> {
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
                message: format!("unexpected {}", other.describe()),
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
