//! The API as a client sees it: status codes, stable error codes, the token on writes, the page's headers.

use super::*;
use axum::body::Body;
use axum::http::Request;
use parallax::core::registry::Registry;
use tower::ServiceExt;

fn app() -> Router {
    let mut engine = Engine::in_memory(Registry::builtin().clone()).unwrap();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples/seed");
    let mut seeds: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    seeds.sort();
    engine.ingest(&seeds, |_| {}).unwrap();
    router(Arc::new(AppState {
        engine: Mutex::new(engine),
        token: "secret".into(),
    }))
}

async fn call(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post(uri: &str, token: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post(uri).header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn stories_report_and_errors() {
    let app = app();
    let (s, body) = call(&app, get("/api/stories")).await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let id = v[0]["id"].as_str().unwrap().to_string();
    let (s, body) = call(&app, get(&format!("/api/stories/{id}"))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Reuters"));
    let (s, body) = call(&app, get("/api/stories/nope")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["error"]["code"],
        "story_not_found"
    );
    let (s, body) = call(&app, get("/api/nothing-here")).await;
    assert_eq!(
        (s, body.contains("\"not_found\"")),
        (StatusCode::NOT_FOUND, true)
    );
    let (s, body) = call(&app, get("/api/openapi.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("\"openapi\""));
    let (s, body) = call(&app, get("/api/search?q=Riyadh")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Kyiv Post"));
    let hits: serde_json::Value = serde_json::from_str(&body).unwrap();
    let aid = hits[0]["id"].as_str().unwrap().to_string();
    let (s, body) = call(&app, get(&format!("/api/articles/{aid}"))).await;
    assert_eq!(s, StatusCode::OK);
    let a: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(a["outlet"], "Kyiv Post");
    assert_eq!(a["story"], id.as_str());
    let (s, body) = call(&app, get("/api/articles/nope")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("\"article_not_found\""));
    let (s, body) = call(&app, get("/api/feeds")).await;
    assert_eq!((s, body.as_str()), (StatusCode::OK, "[]"));
}

#[tokio::test]
async fn writes_need_the_token() {
    let app = app();
    let article = r#"{"id": "n1", "outlet": "Example", "title": "Bridge closes", "text": "The council closed the old bridge for repairs on Monday, officials said."}"#;
    let (s, body) = call(&app, post("/api/articles", None, article)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("\"unauthorized\""));
    let (s, _) = call(&app, post("/api/articles", Some("wrong"), article)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, body) = call(&app, post("/api/articles", Some("secret"), article)).await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let (s, body) = call(&app, post("/api/articles", Some("secret"), "[1, 2]")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (s, body) = call(
        &app,
        post(
            "/api/stories/nope/merge",
            Some("secret"),
            r#"{"from": "s1"}"#,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn page_is_embedded_with_a_csp() {
    let app = app();
    let resp = app.clone().oneshot(get("/")).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers().get("content-security-policy").is_some());
    let (s, _) = call(&app, get("/app.js")).await;
    assert_eq!(s, StatusCode::OK);
}
