//! The one table from engine errors to HTTP statuses and stable error codes. Bodies are
//! `{"error":{"code","message"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An API error: status, stable code, message.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: &str) -> Self {
        ApiError {
            status,
            code,
            message: message.to_string(),
        }
    }

    pub(crate) fn not_found(message: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub(crate) fn bad_request(message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    pub(crate) fn internal(message: &str) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl From<parallax::Error> for ApiError {
    fn from(e: parallax::Error) -> Self {
        use parallax::Error as E;
        let (status, code) = match &e {
            E::StoryNotFound(_) => (StatusCode::NOT_FOUND, "story_not_found"),
            E::ArticleNotFound(_) => (StatusCode::NOT_FOUND, "article_not_found"),
            E::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid_request"),
            E::Input { .. } => (StatusCode::BAD_REQUEST, "unreadable_input"),
            E::SchemaTooNew { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "store_too_new"),
            E::Registry { .. } => (StatusCode::INTERNAL_SERVER_ERROR, "registry_invalid"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "store_error"),
        };
        ApiError {
            status,
            code,
            message: format!("{e}"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response()
    }
}
