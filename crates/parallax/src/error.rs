//! The one error type of the engine. Each variant names what failed (a path, a URL, a story id); the cause
//! stays in `source()`.

use std::path::PathBuf;

/// What went wrong in the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store could not be opened or created.
    #[error("cannot open the store {path}")]
    StoreOpen {
        /// The database file.
        path: PathBuf,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// A store operation failed.
    #[error("store {what} failed")]
    Store {
        /// The operation.
        what: &'static str,
        /// Why.
        #[source]
        source: rusqlite::Error,
    },
    /// The store was written by a newer Parallax.
    #[error("the store has schema version {found}, newer than this program's {supported}")]
    SchemaTooNew {
        /// Version on disk.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// No story has this id.
    #[error("no story {0}")]
    StoryNotFound(String),
    /// No article has this id.
    #[error("no article {0}")]
    ArticleNotFound(String),
    /// An input could not be read.
    #[error("cannot read {input}")]
    Input {
        /// The path.
        input: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A registry (outlets / lenses) file is not valid.
    #[error("outlet registry {path}: {reason}")]
    Registry {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A request that makes no sense (bad arguments).
    #[error("{0}")]
    Invalid(String),
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn store(what: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |source| Error::Store { what, source }
}
