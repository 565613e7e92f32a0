//! Reading site files: the raw serde model ([`raw`]) and the loader that
//! turns parse errors into `file:line:column: field: message`.

pub(crate) mod load;
pub(crate) mod locate;
pub mod raw;

pub use load::{parse, Format};
