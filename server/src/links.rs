//! The bases of absolute URLs: self links in API answers, and links that leave the server (mail,
//! letters, PDFs), which come from configuration only.

use axum::http::HeaderMap;

use crate::state::AppState;

/// The base of the absolute self links in API answers (TileJSON, the style, OGC API, Open311):
/// the configured public URL, or the scheme and host the request was sent to. Forwarded headers
/// reach this far only from a trusted proxy (the guard drops them otherwise). Never for links that
/// leave the request (mail, letters, PDFs): those use [`link_base`].
pub(crate) fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.clone();
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|h| h.to_str().ok())
            .map(str::trim)
            .filter(|h| {
                !h.is_empty()
                    && h.bytes().all(|b| b.is_ascii_graphic())
                    && !h.contains(['/', '"', '<', '>', '\\', ','])
            })
    };
    let host = header("x-forwarded-host")
        .or_else(|| header(axum::http::header::HOST.as_str()))
        .map_or_else(|| state.config.listen.to_string(), str::to_owned);
    let proto = header("x-forwarded-proto")
        .filter(|p| *p == "https" || *p == "http")
        .unwrap_or("http");
    format!("{proto}://{host}")
}

/// The base of links that leave the request — in a sign-in mail, a letter, a PDF: only from
/// configuration (`--public-url`), or the listen address when it is loopback (the demo, a
/// developer's machine). `None` otherwise: such a link is not sent, never built from a header an
/// attacker can set.
pub(crate) fn link_base(state: &AppState) -> Option<String> {
    if let Some(u) = &state.config.public_url {
        return Some(u.clone());
    }
    let listen = state.config.listen;
    listen
        .ip()
        .is_loopback()
        .then(|| format!("http://{listen}"))
}
