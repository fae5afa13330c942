//! `parallax serve`: the JSON API (described at `/api/openapi.json`) and the web page, from one binary.
//! Binds loopback unless told otherwise; every write needs the token (`PARALLAX_TOKEN`, generated and
//! printed at start when unset); request bodies are capped; no path from a request reaches the filesystem
//! (the page's files are embedded).

mod error;
mod openapi;

use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use error::ApiError;
use parallax::core::model::{ArticleId, RawArticle, StoryId};
use parallax::store::SearchFilter;
use parallax::Engine;
use serde::Deserialize;
use std::sync::{Arc, Mutex};

/// Largest request body.
const MAX_BODY: usize = 8 << 20;
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

struct AppState {
    engine: Mutex<Engine>,
    token: String,
}

type Shared = Arc<AppState>;

/// Serves until the process is stopped.
pub(crate) fn run(engine: Engine, addr: &str, token: String) -> anyhow::Result<()> {
    // Articles a bulk ingest stored are indexed for search before the first request, not during it.
    crate::cmd::search::update_index(&engine)?;
    let state = Arc::new(AppState {
        engine: Mutex::new(engine),
        token,
    });
    let app = router(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        eprintln!("parallax serving on http://{}", listener.local_addr()?);
        axum::serve(listener, app).await?;
        Ok(())
    })
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(page_index))
        .route("/app.js", get(page_js))
        .route("/style.css", get(page_css))
        .route(
            "/api/openapi.json",
            get(|| async { Json(openapi::document()) }),
        )
        .route("/api/stats", get(stats))
        .route("/api/stories", get(stories))
        .route("/api/stories.csv", get(stories_csv))
        .route("/api/stories/{id}", get(story))
        .route("/api/stories/{id}/explain", get(explain))
        .route("/api/stories/{id}/split", post(split))
        .route("/api/stories/{id}/merge", post(merge))
        .route("/api/articles", post(ingest))
        .route("/api/articles/{id}", get(article))
        .route("/api/articles/{id}/move", post(move_article))
        .route("/api/search", get(search))
        .route("/api/outlets", get(outlets))
        .route("/api/corrections", get(corrections))
        .route("/api/feeds", get(feeds))
        .fallback(|| async { ApiError::not_found("no such route") })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&mut Engine) -> Result<T, parallax::Error> + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        let mut engine = state
            .engine
            .lock()
            .map_err(|_| ApiError::internal("engine lock poisoned"))?;
        f(&mut engine).map_err(ApiError::from)
    })
    .await
    .map_err(|_| ApiError::internal("worker failed"))?
}

fn authorize(state: &Shared, headers: &HeaderMap) -> Result<String, ApiError> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(t) if constant_time_eq(t.as_bytes(), state.token.as_bytes()) => Ok("api".to_string()),
        Some(_) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the token is not valid",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "writes need `Authorization: Bearer TOKEN`",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn page_index() -> Response {
    asset(
        include_str!("../../web/index.html"),
        "text/html; charset=utf-8",
    )
}

async fn page_js() -> Response {
    asset(
        include_str!("../../web/app.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn page_css() -> Response {
    asset(
        include_str!("../../web/style.css"),
        "text/css; charset=utf-8",
    )
}

async fn stats(State(s): State<Shared>) -> Result<Response, ApiError> {
    Ok(Json(blocking(&s, |e| e.stats()).await?).into_response())
}

#[derive(Deserialize)]
struct StoriesQuery {
    since: Option<String>,
    until: Option<String>,
    outlet: Option<String>,
    /// `lens:value`, e.g. `country:UA`.
    lens: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

fn filter_stories(
    all: Vec<parallax::StorySummary>,
    q: &StoriesQuery,
) -> Vec<parallax::StorySummary> {
    let lens = q.lens.as_deref().and_then(|l| l.split_once(':'));
    all.into_iter()
        .filter(|s| {
            q.since
                .as_deref()
                .is_none_or(|d| s.last_seen.as_deref().is_some_and(|l| l >= d))
        })
        .filter(|s| {
            q.until.as_deref().is_none_or(|d| {
                s.first_seen
                    .as_deref()
                    .is_some_and(|f| &f[..f.len().min(10)] <= d)
            })
        })
        .filter(|s| {
            q.outlet
                .as_deref()
                .is_none_or(|o| s.articles.iter().any(|a| a.outlet.as_deref() == Some(o)))
        })
        .filter(|s| lens.is_none_or(|(k, v)| s.coverage.get(k).is_some_and(|m| m.contains_key(v))))
        .skip(q.offset.unwrap_or(0))
        .take(q.limit.unwrap_or(usize::MAX))
        .collect()
}

async fn stories(
    State(s): State<Shared>,
    Query(q): Query<StoriesQuery>,
) -> Result<Response, ApiError> {
    let all = blocking(&s, |e| e.stories()).await?;
    Ok(Json(filter_stories(all, &q)).into_response())
}

async fn stories_csv(
    State(s): State<Shared>,
    Query(q): Query<StoriesQuery>,
) -> Result<Response, ApiError> {
    let all = filter_stories(blocking(&s, |e| e.stories()).await?, &q);
    let mut out =
        String::from("id,title,first_seen,last_seen,articles,outlets,independent_reports,copies\n");
    let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for st in all {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            field(&st.id.0),
            field(&st.title),
            field(st.first_seen.as_deref().unwrap_or("")),
            field(st.last_seen.as_deref().unwrap_or("")),
            st.articles.len(),
            st.outlets,
            st.independent_reports,
            st.copies
        ));
    }
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response())
}

async fn story(State(s): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(Json(blocking(&s, move |e| e.report(&StoryId(id))).await?).into_response())
}

async fn explain(State(s): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let why = blocking(&s, move |e| e.explain(&StoryId(id))).await?;
    let v: Vec<serde_json::Value> = why
        .into_iter()
        .map(|(a, r)| serde_json::json!({"article": a, "assignment": r}))
        .collect();
    Ok(Json(v).into_response())
}

#[derive(Deserialize)]
struct SplitBody {
    articles: Vec<String>,
}

async fn split(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<SplitBody>,
) -> Result<Response, ApiError> {
    let who = authorize(&s, &headers)?;
    let ids: Vec<ArticleId> = b.articles.into_iter().map(ArticleId).collect();
    let new = blocking(&s, move |e| e.split(&StoryId(id), &ids, &who)).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({"story": new}))).into_response())
}

#[derive(Deserialize)]
struct MergeBody {
    from: String,
}

async fn merge(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<MergeBody>,
) -> Result<Response, ApiError> {
    let who = authorize(&s, &headers)?;
    blocking(&s, move |e| e.merge(&StoryId(id), &StoryId(b.from), &who)).await?;
    Ok(Json(serde_json::json!({"ok": true})).into_response())
}

#[derive(Deserialize)]
struct MoveBody {
    story: String,
}

async fn move_article(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<MoveBody>,
) -> Result<Response, ApiError> {
    let who = authorize(&s, &headers)?;
    blocking(&s, move |e| {
        e.move_article(&ArticleId(id), &StoryId(b.story), &who)
    })
    .await?;
    Ok(Json(serde_json::json!({"ok": true})).into_response())
}

/// POST /api/articles: one article object or an array of them (`id`, `url`, `outlet`, `title`, `published`,
/// `authors`, and `text` or `html`), read with the JSONL reader.
async fn ingest(
    State(s): State<Shared>,
    headers: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Result<Response, ApiError> {
    authorize(&s, &headers)?;
    let items = match body {
        serde_json::Value::Array(a) => a,
        v @ serde_json::Value::Object(_) => vec![v],
        _ => {
            return Err(ApiError::bad_request(
                "the body must be an article object or an array of them",
            ))
        }
    };
    // Items that give only a `url` are fetched (pages, or feeds whose items' pages are fetched).
    let (urls, items): (Vec<serde_json::Value>, Vec<serde_json::Value>) =
        items.into_iter().partition(|i| {
            i.get("url").and_then(|u| u.as_str()).is_some()
                && i.get("text").is_none()
                && i.get("html").is_none()
                && i.get("title").is_none()
        });
    let urls: Vec<String> = urls
        .iter()
        .filter_map(|u| u.get("url").and_then(|x| x.as_str()).map(str::to_string))
        .collect();
    if !urls.is_empty() && items.is_empty() {
        let report = blocking(&s, move |e| e.ingest(&urls, |_| {})).await?;
        return Ok((
            StatusCode::CREATED,
            Json(serde_json::json!({"report": report, "rejected": []})),
        )
            .into_response());
    }
    let mut lines = String::new();
    for i in &items {
        lines.push_str(&i.to_string());
        lines.push('\n');
    }
    let read = parallax::core::read::read_bytes("api.jsonl", lines.as_bytes());
    if read.articles.is_empty() {
        let why = read
            .failures
            .first()
            .map(|f| f.reason.clone())
            .unwrap_or_else(|| "no article in the body".into());
        return Err(ApiError::bad_request(&why));
    }
    let failures: Vec<String> = read
        .failures
        .iter()
        .map(|f| format!("{}: {}", f.input, f.reason))
        .collect();
    let raws: Vec<RawArticle> = read.articles;
    let report = blocking(&s, move |e| e.ingest_raws(raws)).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({"report": report, "rejected": failures})),
    )
        .into_response())
}

async fn article(State(s): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (a, story, copy_of) = blocking(&s, move |e| e.article(&ArticleId(id))).await?;
    let mut v = serde_json::to_value(&a).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("story".into(), serde_json::json!(story));
        o.insert("copy_of".into(), serde_json::json!(copy_of));
    }
    Ok(Json(v).into_response())
}

#[derive(Deserialize)]
struct SearchQuery {
    q: String,
    outlet: Option<String>,
    since: Option<String>,
    until: Option<String>,
    language: Option<String>,
    limit: Option<usize>,
}

async fn search(
    State(s): State<Shared>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, ApiError> {
    let filter = SearchFilter {
        outlet: q.outlet,
        since: q.since,
        until: q.until,
        language: q.language,
        limit: q.limit.unwrap_or(20),
    };
    let query = q.q;
    Ok(Json(blocking(&s, move |e| e.search(&query, &filter)).await?).into_response())
}

async fn outlets(State(s): State<Shared>) -> Result<Response, ApiError> {
    let v = blocking(&s, |e| {
        Ok(e.registry()
            .outlets()
            .iter()
            .map(|o| serde_json::json!({"name": o.name, "domains": o.domains, "aliases": o.aliases, "tags": o.tags}))
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(Json(v).into_response())
}

async fn feeds(State(s): State<Shared>) -> Result<Response, ApiError> {
    Ok(Json(blocking(&s, |e| e.feeds()).await?).into_response())
}

async fn corrections(State(s): State<Shared>) -> Result<Response, ApiError> {
    Ok(Json(blocking(&s, |e| e.corrections()).await?).into_response())
}

#[cfg(test)]
mod tests;
