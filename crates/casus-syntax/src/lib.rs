//! Layer 1 of casus: the files people write, as they wrote them.
//!
//! This crate parses TOML and TSV library files into *surface* structures that keep
//! the byte span of everything a later layer may need to complain about, and defines
//! the [`Diagnostic`] type that every layer uses to report problems. It does no I/O:
//! callers hand it [`SourceFile`]s.

mod diagnostic;
mod source;
mod suggest;
pub mod surface;
pub mod table;
pub mod tsv;

pub use diagnostic::{Diagnostic, Level};
pub use source::{LineCol, SourceFile};
pub use suggest::did_you_mean;
pub use surface::{parse_toml, SurfaceFile};
pub use toml::Spanned;
