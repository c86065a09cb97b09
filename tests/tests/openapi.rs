//! The OpenAPI document (written after the server surface settles).
