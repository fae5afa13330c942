//! `parallax`: the command line. Each subcommand parses its flags, calls the engine, and prints results on
//! stdout (messages and progress on stderr). Only `main` prints errors and picks the exit code: 0 on success
//! (also when some inputs failed and were reported), 2 when nothing could be done.

mod cmd;
mod render;
mod server;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

// Ingest allocates and frees many small strings on every core (terms, ids, sentences); mimalloc's per-thread
// heaps serve them with less work than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One news story, seen from every side.
#[derive(Parser)]
#[command(name = "parallax", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the store is.
#[derive(clap::Args, Clone)]
pub(crate) struct DbArg {
    /// The store (an SQLite file).
    #[arg(long, env = "PARALLAX_DB", default_value = "parallax.db")]
    db: PathBuf,
    /// A TOML file of outlets (and lens tags) that extends the built-in registry.
    #[arg(long, env = "PARALLAX_OUTLETS")]
    outlets: Option<PathBuf>,
}

/// Report formats.
#[derive(clap::Args, Clone, Copy)]
pub(crate) struct FormatArg {
    /// JSON output.
    #[arg(long, conflicts_with_all = ["markdown", "html"])]
    json: bool,
    /// Markdown output.
    #[arg(long, conflicts_with = "html")]
    markdown: bool,
    /// One self-contained HTML file.
    #[arg(long)]
    html: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Read and extract articles (nothing is stored).
    Extract {
        /// One JSON object a line.
        #[arg(long)]
        json: bool,
        /// A TOML file of outlets that extends the built-in registry.
        #[arg(long, env = "PARALLAX_OUTLETS")]
        outlets: Option<PathBuf>,
        /// Let URLs reach private, loopback and link-local addresses.
        #[arg(long, env = "PARALLAX_ALLOW_PRIVATE")]
        allow_private: bool,
        /// Files, directories, URLs, or `-` for stdin.
        #[arg(required = true)]
        inputs: Vec<String>,
    },
    /// Read, extract, dedup, cluster and compare in memory; print each story's report.
    Compare {
        #[command(flatten)]
        format: FormatArg,
        /// A TOML file of outlets that extends the built-in registry.
        #[arg(long, env = "PARALLAX_OUTLETS")]
        outlets: Option<PathBuf>,
        /// Files, directories, or `-` for stdin.
        #[arg(required = true)]
        inputs: Vec<String>,
    },
    /// Add inputs to the store.
    Ingest {
        #[command(flatten)]
        db: DbArg,
        /// Let URLs reach private, loopback and link-local addresses.
        #[arg(long, env = "PARALLAX_ALLOW_PRIVATE")]
        allow_private: bool,
        /// Files, directories, or `-` for stdin.
        #[arg(required = true)]
        inputs: Vec<String>,
    },
    /// List stories.
    Stories {
        #[command(flatten)]
        db: DbArg,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// One story's comparison report.
    Story {
        #[command(flatten)]
        db: DbArg,
        #[command(flatten)]
        format: FormatArg,
        /// Show why each article is in the story.
        #[arg(long)]
        explain: bool,
        /// Story id.
        id: String,
    },
    /// Full-text search over articles.
    Search {
        #[command(flatten)]
        db: DbArg,
        /// JSON output.
        #[arg(long)]
        json: bool,
        /// Only this outlet.
        #[arg(long)]
        outlet: Option<String>,
        /// Published on or after (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
        /// Published on or before (YYYY-MM-DD).
        #[arg(long)]
        until: Option<String>,
        /// Only this language (ISO 639-1).
        #[arg(long)]
        language: Option<String>,
        /// Most results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Words to find.
        #[arg(required = true)]
        query: Vec<String>,
    },
    /// Counts of articles, stories, outlets, duplicates.
    Stats {
        #[command(flatten)]
        db: DbArg,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Do two sentences state the same fact? `id<TAB>s1<TAB>s2` lines in, `id<TAB>score<TAB>0|1` out.
    Similar {
        /// The TSV file (`-` for stdin).
        #[arg(long)]
        pairs: String,
    },
    /// Move articles out of a story into a new one (persists).
    Split {
        #[command(flatten)]
        db: DbArg,
        /// The story.
        story: String,
        /// Articles to move out.
        #[arg(required = true)]
        articles: Vec<String>,
    },
    /// Merge the second story into the first (persists).
    Merge {
        #[command(flatten)]
        db: DbArg,
        /// Story that stays.
        into: String,
        /// Story merged into it.
        from: String,
    },
    /// Move one article into a story (persists).
    Move {
        #[command(flatten)]
        db: DbArg,
        /// The article.
        article: String,
        /// The story.
        story: String,
    },
    /// Rebuild all stories from the stored articles, keeping corrections.
    Recluster {
        #[command(flatten)]
        db: DbArg,
    },
    /// Run on the bundled real sample: ingest it and print the seed story's report.
    Demo {
        /// Where to keep the demo store.
        #[arg(long, default_value = "parallax-demo.db")]
        db: PathBuf,
    },
    /// Poll feeds (URLs, or OPML files listing them): conditional GET, backoff, robots.txt; new items'
    /// pages are fetched and ingested.
    Watch {
        #[command(flatten)]
        db: DbArg,
        /// Seconds between polls of a feed.
        #[arg(long, default_value_t = 900)]
        interval: u64,
        /// One round, then exit.
        #[arg(long)]
        once: bool,
        /// Let feeds reach private, loopback and link-local addresses.
        #[arg(long, env = "PARALLAX_ALLOW_PRIVATE")]
        allow_private: bool,
        /// Feed URLs or OPML files.
        #[arg(required = true)]
        feeds: Vec<String>,
    },
    /// Serve the JSON API and the web page.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on (loopback by default).
        #[arg(long, env = "PARALLAX_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// The token writes need; generated and printed when unset.
        #[arg(long, env = "PARALLAX_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// Measure quality on labelled data (clustering, extraction, sentence similarity).
    #[command(subcommand)]
    Eval(cmd::eval::EvalCommand),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract {
            json,
            outlets,
            allow_private,
            inputs,
        } => cmd::extract::run(&inputs, json, outlets.as_deref(), allow_private),
        Command::Compare {
            format,
            outlets,
            inputs,
        } => cmd::compare::run(&inputs, format, outlets.as_deref()),
        Command::Ingest {
            db,
            allow_private,
            inputs,
        } => cmd::ingest::run(&db, &inputs, allow_private),
        Command::Watch {
            db,
            interval,
            once,
            allow_private,
            feeds,
        } => cmd::ingest::watch(&db, &feeds, interval, once, allow_private),
        Command::Stories { db, json } => cmd::stories::list(&db, json),
        Command::Story {
            db,
            format,
            explain,
            id,
        } => cmd::stories::show(&db, &id, format, explain),
        Command::Search {
            db,
            json,
            outlet,
            since,
            until,
            language,
            limit,
            query,
        } => {
            let filter = parallax::store::SearchFilter {
                outlet,
                since,
                until,
                language,
                limit,
            };
            cmd::search::run(&db, &query.join(" "), &filter, json)
        }
        Command::Stats { db, json } => cmd::stats::run(&db, json),
        Command::Similar { pairs } => cmd::similar::run(&pairs),
        Command::Split {
            db,
            story,
            articles,
        } => cmd::correct::split(&db, &story, &articles),
        Command::Merge { db, into, from } => cmd::correct::merge(&db, &into, &from),
        Command::Move { db, article, story } => cmd::correct::move_article(&db, &article, &story),
        Command::Recluster { db } => cmd::correct::recluster(&db),
        Command::Demo { db } => cmd::demo::run(&db),
        Command::Eval(e) => cmd::eval::run(e),
        Command::Serve { db, addr, token } => cmd::serve(&db, &addr, token),
    };
    match result {
        Ok(()) => {}
        Err(err) => {
            if is_broken_pipe(&err) {
                std::process::exit(0);
            }
            eprintln!("error: {err:#}");
            std::process::exit(2);
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
