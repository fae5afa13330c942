//! Parallax's pure core: data in, data out. Reading bytes into raw articles, extraction, text routines,
//! dedup, clustering and comparison. No file, network or database access, no clock, no async: the
//! `parallax` crate does all IO and passes the time in as data.

#![warn(missing_docs)]

pub mod cluster;
pub mod compare;
pub mod dedup;
pub mod extract;
pub mod model;
pub mod read;
pub mod registry;
pub mod text;
