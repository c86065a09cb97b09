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
    /// 400: a `filter` (CQL2) that does not compile: names the field when one is to blame.
    #[error("invalid parameter filter: {message}")]
    BadFilter {
        /// The field the error is about.
        field: Option<String>,
        /// 1-based line and column in the filter's text, when known.
        position: Option<(usize, usize)>,
        /// What is wrong.
        message: String,
    },
    /// 400: the request as a whole is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// 404: no such resource.
    #[error("{0}")]
    NotFound(String),
    /// Any other deliberate status with its code, e.g. 401 `InvalidCredentials`, 403 `Forbidden`,
    /// 409 `Conflict`, 413 `PayloadTooLarge`, 422 `Unprocessable`, 503 `Busy`.
    #[error("{message}")]
    Status {
        /// HTTP status (4xx, or 503).
        status: StatusCode,
        /// Machine-readable code.
        code: &'static str,
        /// What is wrong, for people.
        message: String,
    },
    /// 422 listing every failing field.
    #[error("{message}")]
    Invalid {
        /// Summary.
        message: String,
        /// Each failing field (JSON pointer) and why.
        errors: Vec<FieldError>,
    },
    /// 429: too many requests; try again after `retry_after` seconds.
    #[error("too many requests; try again in {retry_after} s")]
    TooManyRequests {
        /// Seconds.
        retry_after: u64,
    },
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

    /// A client error with its own status and code.
    pub fn status_code(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Status {
            status,
            code,
            message: message.into(),
        }
    }

    /// 503 with `Retry-After: 1`: a queue or the store's write lock is full; the request did
    /// nothing and may be repeated.
    pub fn busy(message: impl Into<String>) -> Self {
        Self::status_code(StatusCode::SERVICE_UNAVAILABLE, "Busy", message)
    }

    /// 401 (not signed in, or sign-in failed).
    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::status_code(StatusCode::UNAUTHORIZED, code, message)
    }

    /// 403: the policy said no.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::status_code(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    /// 422: well-formed but unacceptable values.
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::status_code(StatusCode::UNPROCESSABLE_ENTITY, "Unprocessable", message)
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Status { status, .. } => *status,
            Self::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::BadParam { .. } | Self::BadFilter { .. } | Self::BadRequest(_) => {
                StatusCode::BAD_REQUEST
            }
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Status { code, .. } => code,
            Self::Invalid { .. } => "Unprocessable",
            Self::TooManyRequests { .. } => "TooManyRequests",
            Self::BadParam { .. } | Self::BadFilter { .. } => "InvalidParameterValue",
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

impl From<store::Error> for ApiError {
    fn from(e: store::Error) -> Self {
        match e {
            store::Error::Conflict(m) => Self::status_code(StatusCode::CONFLICT, "Conflict", m),
            store::Error::Busy => Self::busy("the store is busy writing; try again in a moment"),
            other => Self::Internal(format!("store: {other}")),
        }
    }
}

/// JSON bodies that fail to parse get a 4xx naming what is wrong: 400 for malformed JSON,
/// 415 without a JSON content type, 413 over the size limit, 422 for values of the wrong shape.
impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        let status = e.status();
        let code = match &e {
            J::JsonDataError(_) => "Unprocessable",
            J::JsonSyntaxError(_) => "BadRequest",
            J::MissingJsonContentType(_) => "UnsupportedMediaType",
            _ if status == StatusCode::PAYLOAD_TOO_LARGE => "PayloadTooLarge",
            _ => "BadRequest",
        };
        Self::status_code(status, code, e.body_text())
    }
}

/// A raw body that could not be read: 413 over the route's size limit, else 400.
impl From<axum::extract::rejection::BytesRejection> for ApiError {
    fn from(e: axum::extract::rejection::BytesRejection) -> Self {
        let status = e.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
            "PayloadTooLarge"
        } else {
            "BadRequest"
        };
        Self::status_code(status, code, e.body_text())
    }
}

/// A query string that does not fit a handler's parameters: 400 naming what is wrong.
impl From<axum::extract::rejection::QueryRejection> for ApiError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        let text = e.body_text();
        // serde's message names the parameter: "unknown field `x`", "duplicate field `x`".
        let param = text
            .split('`')
            .nth(1)
            .unwrap_or("query")
            .chars()
            .take(64)
            .collect::<String>();
        Self::param(
            &param,
            text.replace("Failed to deserialize query string: ", ""),
        )
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
        // An internal failure's cause stays in the log; a deliberate status (503 Busy) explains.
        let description = if matches!(self, Self::Internal(_)) {
            "internal error".to_owned()
        } else {
            self.to_string()
        };
        if matches!(self, Self::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::debug!(error = %self, "request rejected");
        }
        let mut body = json!({ "code": self.code(), "description": description });
        if let Self::Invalid { errors, .. } = &self {
            body["errors"] = serde_json::to_value(errors).unwrap_or_default();
        }
        if let Self::BadFilter {
            field, position, ..
        } = &self
        {
            body["parameter"] = json!("filter");
            body["field"] = json!(field);
            if let Some((line, column)) = position {
                body["position"] = json!({ "line": line, "column": column });
            }
        }
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
        if let Self::TooManyRequests { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after.max(1).into());
        } else if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, 1.into());
        }
        response
    }
}

/// Result of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn body(r: Response) -> (StatusCode, Option<String>, serde_json::Value) {
        let status = r.status();
        let retry = r
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = bytes_of(r);
        (status, retry, serde_json::from_slice(&bytes).unwrap())
    }

    fn bytes_of(r: Response) -> Vec<u8> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(axum::body::to_bytes(r.into_body(), 1 << 16))
            .unwrap()
            .to_vec()
    }

    #[test]
    fn a_busy_store_says_so_and_when_to_retry_while_internal_causes_stay_in_the_log() {
        let (status, retry, v) = body(ApiError::busy("the store is busy").into_response());
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry.as_deref(), Some("1"));
        assert_eq!(v["code"], "Busy");
        assert_eq!(v["description"], "the store is busy");
        let (status, _, v) = body(ApiError::from(store::Error::Busy).into_response());
        assert_eq!(
            (status, &v["code"]),
            (StatusCode::SERVICE_UNAVAILABLE, &"Busy".into())
        );
        let (status, retry, v) =
            body(ApiError::Internal("disk on fire at /var/x".into()).into_response());
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(retry, None);
        assert_eq!(v["description"], "internal error");
    }
}

/// One failing field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// JSON pointer of the field, e.g. `/answers/panels`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}
