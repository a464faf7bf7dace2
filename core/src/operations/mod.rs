//! The operation table (generated) and calling operations by name.

mod compact;
mod lookup;
mod prepare;
mod spec;
mod table;

pub use compact::OPERATIONS;
pub use lookup::{find, is_resource_prefix, methods_of};
pub use prepare::{CallArgs, FileArg};
pub use spec::{Arg, ArgLoc, BodyKind, Operation, PaginationKind, QueryParam, QueryStyle, Verb};
