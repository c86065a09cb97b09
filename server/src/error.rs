//! `ApiError`: every failure of a request, its status, and the body clients get.
//!
//! Bodies follow the OGC API exception shape `{"code": "...", "description": "..."}`. 4xx bodies
//! explain; 5xx bodies say "internal error" and the cause is logged inside the request span.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A request that could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: a parameter is malformed; names the parameter.
    #[error("invalid parameter {param}: {message}")]
    BadParam {
        /// Parameter name.
        param: String,
        /// What is wrong.
        message: String,
    },
    /// 400: the request as a whole is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// 404: no such resource.
    #[error("{0}")]
    NotFound(String),
    /// 500: something failed inside; never shown to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 400 for parameter `param`.
    pub fn param(param: &str, message: impl Into<String>) -> Self {
        Self::BadParam {
            param: param.chars().take(64).collect(),
            message: message.into(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadParam { .. } | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::BadParam { .. } => "InvalidParameterValue",
            Self::BadRequest(_) => "BadRequest",
            Self::NotFound(_) => "NotFound",
            Self::Internal(_) => "InternalError",
        }
    }
}

/// The single mapping from tile-engine errors to statuses.
impl From<tiles::Error> for ApiError {
    fn from(e: tiles::Error) -> Self {
        match e {
            tiles::Error::UnknownLayer(_) => Self::NotFound(e.to_string()),
            tiles::Error::MalformedCoord { .. }
            | tiles::Error::ZoomOutOfRange { .. }
            | tiles::Error::TileOutOfRange { .. } => Self::BadRequest(e.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Internal(format!("worker task failed: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let description = if status.is_server_error() {
            "internal error".to_owned()
        } else {
            self.to_string()
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, "request rejected");
        }
        let body = json!({ "code": self.code(), "description": description });
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response()
    }
}

/// Result of handlers.
pub type ApiResult<T> = Result<T, ApiError>;
