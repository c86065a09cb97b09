//! A minimal HTTP/1.1 client: enough to see exactly what the server sends (status, headers, raw
//! bytes, no transparent decompression).

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::Duration;

/// A response as received.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body bytes (de-chunked, not decompressed).
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON; panics with the body text if it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// GET `path` (with query) from `addr`.
pub fn get(addr: SocketAddr, path: &str) -> Response {
    get_with(addr, path, &[])
}

/// GET with extra request headers.
pub fn get_with(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Response {
    request(addr, "GET", path, headers, None)
}

/// Any request: `method` on `path` (with query) with extra `headers` and an optional `body`
/// (sent with its `Content-Length`; add the `Content-Type` yourself).
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    request_from(None, addr, method, path, headers, body)
}

/// Like [`request`], from the local address `from` (any of 127.0.0.0/8 is loopback on Linux, so a
/// test can be several clients with different IP addresses); `None` lets the system choose.
pub fn request_from(
    from: Option<IpAddr>,
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let mut s = connect(from, addr);
    s.set_read_timeout(Some(Duration::from_mins(1))).ok();
    // A test may send its own Host (an attacker's); otherwise the server's address.
    let own_host = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host"));
    let mut req = if own_host {
        format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n")
    } else {
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n")
    };
    for (k, v) in headers {
        req.push_str(k);
        req.push_str(": ");
        req.push_str(v);
        req.push_str("\r\n");
    }
    if let Some(b) = body {
        req.push_str("Content-Length: ");
        req.push_str(&b.len().to_string());
        req.push_str("\r\n");
    } else if !matches!(method, "GET" | "HEAD" | "OPTIONS") {
        req.push_str("Content-Length: 0\r\n");
    }
    req.push_str("\r\n");
    let mut bytes = req.into_bytes();
    bytes.extend_from_slice(body.unwrap_or_default());
    // The server may answer (e.g. 413) and close before it read everything: a failed write is
    // fine as long as a response arrives.
    let _ = s.write_all(&bytes);
    let mut raw = Vec::new();
    if let Err(e) = s.read_to_end(&mut raw)
        && raw.is_empty()
    {
        panic!("read response to {method} {path}: {e}");
    }
    parse(&raw)
}

/// A connection to `addr`, bound to the local address `from` when given.
fn connect(from: Option<IpAddr>, addr: SocketAddr) -> TcpStream {
    let Some(ip) = from else {
        return TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    };
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::STREAM,
        Some(socket2::Protocol::TCP),
    )
    .unwrap_or_else(|e| panic!("socket for {addr}: {e}"));
    socket
        .bind(&SocketAddr::new(ip, 0).into())
        .unwrap_or_else(|e| panic!("bind {ip}: {e}"));
    socket
        .connect(&addr.into())
        .unwrap_or_else(|e| panic!("connect {addr} from {ip}: {e}"));
    socket.into()
}

/// A client with a session: keeps the `wijkwerk_session` cookie the server sets (and forgets it
/// when the server clears it with `Max-Age=0`), and sends the session's CSRF token on
/// state-changing requests once it knows one (from a sign-in answer or `GET /api/session`).
#[derive(Debug, Clone)]
pub struct Client {
    /// The server.
    pub addr: SocketAddr,
    /// Value of the session cookie, if any.
    pub cookie: Option<String>,
    /// CSRF token of the session, if known.
    pub csrf: Option<String>,
    /// The local IP address the client connects from (`None`: the system's choice, 127.0.0.1).
    pub from: Option<IpAddr>,
}

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "wijkwerk_session";

impl Client {
    /// An anonymous client of `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            cookie: None,
            csrf: None,
            from: None,
        }
    }

    /// An anonymous client of `addr` connecting from the loopback address `from` (e.g.
    /// `127.0.0.2`): to the server another client IP.
    pub fn from_ip(addr: SocketAddr, from: [u8; 4]) -> Self {
        Self {
            from: Some(IpAddr::from(from)),
            ..Self::new(addr)
        }
    }

    /// Sends a request with the session cookie and (on non-GET) the CSRF token, plus `headers`;
    /// takes up a new cookie from `Set-Cookie` and a `csrf` field of a JSON answer.
    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Response {
        let cookie = self
            .cookie
            .as_ref()
            .map(|c| format!("{SESSION_COOKIE}={c}"));
        let mut h: Vec<(&str, &str)> = Vec::new();
        if let Some(c) = &cookie {
            h.push(("Cookie", c));
        }
        if method != "GET"
            && let Some(t) = &self.csrf
        {
            h.push(("X-CSRF-Token", t));
        }
        h.extend_from_slice(headers);
        let r = request_from(self.from, self.addr, method, path, &h, body);
        self.take_session(&r);
        r
    }

    fn take_session(&mut self, r: &Response) {
        for (k, v) in &r.headers {
            if k != "set-cookie" {
                continue;
            }
            let Some(rest) = v.strip_prefix(&format!("{SESSION_COOKIE}=")) else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or_default().trim();
            let cleared = value.is_empty()
                || v.split(';')
                    .any(|a| a.trim().eq_ignore_ascii_case("max-age=0"));
            if cleared {
                self.cookie = None;
                self.csrf = None;
            } else {
                self.cookie = Some(value.to_owned());
            }
        }
        let json = r
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"));
        if json
            && (200..300).contains(&r.status)
            && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&r.body)
            && let Some(t) = v.get("csrf").and_then(serde_json::Value::as_str)
        {
            self.csrf = Some(t.to_owned());
        }
    }

    /// GET `path`.
    pub fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, &[], None)
    }

    /// POST a JSON body.
    pub fn post_json(&mut self, path: &str, body: &serde_json::Value) -> Response {
        let b = body.to_string();
        self.send(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            Some(b.as_bytes()),
        )
    }

    /// PUT a JSON body, or nothing.
    pub fn put(&mut self, path: &str, body: Option<&serde_json::Value>) -> Response {
        match body {
            Some(v) => {
                let b = v.to_string();
                self.send(
                    "PUT",
                    path,
                    &[("Content-Type", "application/json")],
                    Some(b.as_bytes()),
                )
            }
            None => self.send("PUT", path, &[], None),
        }
    }

    /// PATCH a JSON body.
    pub fn patch_json(&mut self, path: &str, body: &serde_json::Value) -> Response {
        let b = body.to_string();
        self.send(
            "PATCH",
            path,
            &[("Content-Type", "application/json")],
            Some(b.as_bytes()),
        )
    }

    /// DELETE `path`.
    pub fn delete(&mut self, path: &str) -> Response {
        self.send("DELETE", path, &[], None)
    }

    /// Refreshes the CSRF token from `GET /api/session` and returns that answer.
    pub fn session(&mut self) -> serde_json::Value {
        let r = self.get("/api/session");
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }
}

fn parse(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response has a header block");
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}
