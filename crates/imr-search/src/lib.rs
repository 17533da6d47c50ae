//! imr-search: a search engine over California workers' compensation Independent
//! Medical Review (IMR) Final Determination Letters.
//!
//! Data flows one way: bytes ([`input`]) to clean text ([`text`]) to a letter record
//! ([`model`], made by [`parse`] with the domain vocabularies of [`vocab`]).

#![warn(missing_docs)]

mod embedded;
pub mod index;
pub mod input;
pub mod model;
pub mod parse;
pub mod search;
pub mod text;
pub mod vocab;

pub use model::{Citation, Decision, Family, Item, Letter};
pub use parse::Parser;
pub use vocab::Vocabulary;
