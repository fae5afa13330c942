//! The OpenAPI 3.1 document of the JSON API, written out by hand (one place, next to the routes).

use serde_json::{json, Value};

fn get(summary: &str, params: Value) -> Value {
    json!({"get": {"summary": summary, "parameters": params, "responses": {"200": {"description": "OK"}, "404": {"$ref": "#/components/responses/Error"}}}})
}

fn path_id() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
}

fn write(summary: &str, body: Value, params: Value) -> Value {
    json!({"post": {"summary": summary, "security": [{"token": []}], "parameters": params,
        "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
        "responses": {"200": {"description": "OK"}, "201": {"description": "Created"}, "400": {"$ref": "#/components/responses/Error"},
                      "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}})
}

pub(crate) fn document() -> Value {
    let q = |name: &str, t: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": t}});
    let story_filters = json!([
        q("since", "string"),
        q("until", "string"),
        q("outlet", "string"),
        q("lens", "string"),
        q("limit", "integer"),
        q("offset", "integer")
    ]);
    let mut search_params =
        vec![json!({"name": "q", "in": "query", "required": true, "schema": {"type": "string"}})];
    search_params.extend([
        q("outlet", "string"),
        q("since", "string"),
        q("until", "string"),
        q("language", "string"),
        q("limit", "integer"),
    ]);
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Parallax API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Stories from many outlets, compared. Every text in a report is a verbatim span of an article (byte offsets)."},
        "paths": {
            "/api/stats": get("Counts of articles, stories, outlets, duplicates; schema version", json!([])),
            "/api/stories": get("Stories, newest first; filter by date, outlet, lens (`country:UA`); paginated, uncapped", story_filters.clone()),
            "/api/stories.csv": get("The same list as CSV", story_filters),
            "/api/stories/{id}": get("One story's comparison report", path_id()),
            "/api/stories/{id}/explain": get("Why each article is in the story", path_id()),
            "/api/stories/{id}/split": write("Move articles into a new story (persists)", json!({"type": "object", "required": ["articles"], "properties": {"articles": {"type": "array", "items": {"type": "string"}}}}), path_id()),
            "/api/stories/{id}/merge": write("Merge another story into this one (persists)", json!({"type": "object", "required": ["from"], "properties": {"from": {"type": "string"}}}), path_id()),
            "/api/articles": write("Ingest one article object or an array (`text` or `html`), or `{\"url\": ...}` objects to fetch", json!({"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}), json!([])),
            "/api/articles/{id}": get("One article: clean text, metadata, its story and the original it copies", path_id()),
            "/api/articles/{id}/move": write("Move an article into a story (persists)", json!({"type": "object", "required": ["story"], "properties": {"story": {"type": "string"}}}), path_id()),
            "/api/search": get("Full-text search over articles", Value::Array(search_params)),
            "/api/outlets": get("The outlet registry with lens tags", json!([])),
            "/api/corrections": get("The audit log of corrections", json!([])),
            "/api/feeds": get("Watched feeds and their health: last success, last failure and why, backoff", json!([]))
        },
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}}}}
        }
    })
}
