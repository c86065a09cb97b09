//! The two formats of GeoReport v2 from one ordered record: JSON (the spec's "Spark" mapping of
//! its XML) and XML (UTF-8, no namespace, elements in the spec's order), and errors in the spec's
//! shape.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::error::{ApiError, ApiResult};

/// The format named by the resource's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Json,
    Xml,
}

/// `services.json` → (`services`, JSON); `None` for any other extension.
pub(super) fn split_format(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    let format = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((name, format))
}

/// A value of an answer field.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Field {
    /// Text; `None` is JSON `null` and an empty XML element.
    Text(Option<String>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A nested list: its XML item element name and its records.
    List(&'static str, Vec<Record>),
}

/// An ordered record: element order in XML follows the spec's tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Record(Vec<(&'static str, Field)>);

impl Record {
    pub(super) fn text(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.0.push((k, Field::Text(Some(v.into()))));
        self
    }

    pub(super) fn opt(mut self, k: &'static str, v: Option<String>) -> Self {
        self.0.push((k, Field::Text(v)));
        self
    }

    pub(super) fn with(mut self, k: &'static str, v: Field) -> Self {
        self.0.push((k, v));
        self
    }

    pub(super) fn to_json(&self) -> Value {
        let mut m = Map::new();
        for (k, v) in &self.0 {
            let v = match v {
                Field::Text(t) => t.clone().map_or(Value::Null, Value::String),
                Field::Int(i) => json!(i),
                Field::Float(f) => json!(f),
                Field::Bool(b) => json!(b),
                Field::List(_, items) => Value::Array(items.iter().map(Self::to_json).collect()),
            };
            m.insert((*k).to_owned(), v);
        }
        Value::Object(m)
    }

    fn write_xml(&self, x: &mut Xml) {
        for (k, v) in &self.0 {
            match v {
                Field::Text(t) => x.leaf(k, t.as_deref()),
                Field::Int(i) => x.leaf(k, Some(&i.to_string())),
                Field::Float(f) => x.leaf(k, Some(&f.to_string())),
                Field::Bool(b) => x.leaf(k, Some(if *b { "true" } else { "false" })),
                Field::List(item, items) => {
                    x.open(k);
                    for r in items {
                        x.open(item);
                        r.write_xml(x);
                        x.close(item);
                    }
                    x.close(k);
                }
            }
        }
    }
}

/// A response body: a list under a root element (`<services><service>…`), or one record as the
/// root (`<service_definition>…`).
pub(super) enum Body {
    List {
        root: &'static str,
        item: &'static str,
        records: Vec<Record>,
    },
    One {
        root: &'static str,
        record: Record,
    },
}

impl Body {
    fn render(&self, format: Format) -> (&'static str, String) {
        match format {
            Format::Json => {
                let v = match self {
                    Self::List { records, .. } => {
                        Value::Array(records.iter().map(Record::to_json).collect())
                    }
                    Self::One { record, .. } => record.to_json(),
                };
                ("application/json; charset=utf-8", v.to_string())
            }
            Format::Xml => {
                let mut x = Xml::new();
                match self {
                    Self::List {
                        root,
                        item,
                        records,
                    } => {
                        x.open(root);
                        for r in records {
                            x.open(item);
                            r.write_xml(&mut x);
                            x.close(item);
                        }
                        x.close(root);
                    }
                    Self::One { root, record } => {
                        x.open(root);
                        record.write_xml(&mut x);
                        x.close(root);
                    }
                }
                ("text/xml; charset=utf-8", x.finish())
            }
        }
    }

    pub(super) fn respond(
        &self,
        format: Format,
        status: StatusCode,
        cache: &'static str,
    ) -> Response {
        let (content_type, text) = self.render(format);
        (
            status,
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, cache),
            ],
            text,
        )
            .into_response()
    }
}

/// A small XML writer: UTF-8, no namespace (as the spec asks), element names are ours.
pub(super) struct Xml(String);

impl Xml {
    fn new() -> Self {
        Self(String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
    }

    fn open(&mut self, tag: &str) {
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push('>');
    }

    fn close(&mut self, tag: &str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    fn leaf(&mut self, tag: &str, text: Option<&str>) {
        match text {
            Some(t) if !t.is_empty() => {
                self.open(tag);
                escape_into(&mut self.0, t);
                self.close(tag);
            }
            _ => {
                self.0.push('<');
                self.0.push_str(tag);
                self.0.push_str("/>");
            }
        }
    }

    fn finish(mut self) -> String {
        self.0.push('\n');
        self.0
    }
}

/// Escapes text for XML 1.0 element content. Characters XML 1.0 forbids (most C0 controls,
/// U+FFFE, U+FFFF) become U+FFFD so the document stays well-formed whatever a reporter typed;
/// a carriage return is kept as a reference (parsers would fold a literal one into a newline).
pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// An error in the spec's shape, with the right HTTP status. The single mapping from
/// [`ApiError`] for this API.
pub(super) fn error_response(format: Format, e: &ApiError) -> Response {
    let (status, descriptions): (StatusCode, Vec<String>) = match e {
        ApiError::BadParam { .. } | ApiError::BadFilter { .. } | ApiError::BadRequest(_) => {
            (StatusCode::BAD_REQUEST, vec![e.to_string()])
        }
        ApiError::NotFound(m) => (StatusCode::NOT_FOUND, vec![m.clone()]),
        ApiError::Status {
            status, message, ..
        } => (*status, vec![message.clone()]),
        ApiError::Invalid { message, errors } if errors.is_empty() => {
            (StatusCode::UNPROCESSABLE_ENTITY, vec![message.clone()])
        }
        ApiError::Invalid { errors, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect(),
        ),
        ApiError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, vec![e.to_string()]),
        ApiError::Internal(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            vec!["internal error".to_owned()],
        ),
    };
    if status.is_server_error() {
        tracing::error!(error = %e, "request failed");
    } else {
        tracing::debug!(error = %e, "request rejected");
    }
    let records = descriptions
        .into_iter()
        .map(|d| {
            Record::default()
                .with("code", Field::Int(i64::from(status.as_u16())))
                .text("description", d)
        })
        .collect();
    let body = Body::List {
        root: "errors",
        item: "error",
        records,
    };
    let mut resp = body.respond(format, status, "no-store");
    if let ApiError::TooManyRequests { retry_after } = e {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, (*retry_after).max(1).into());
    }
    resp
}

pub(super) fn reply(format: Format, result: ApiResult<Response>) -> Response {
    result.unwrap_or_else(|e| error_response(format, &e))
}

pub(super) fn no_resource(file: &str) -> ApiError {
    ApiError::NotFound(format!(
        "no Open311 resource {:?}; resources end in .json or .xml",
        file.chars().take(40).collect::<String>()
    ))
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt as _;

    use super::*;

    #[test]
    fn xml_text_is_escaped_and_stays_well_formed() {
        let mut out = String::new();
        escape_into(
            &mut out,
            "a & <b> \"c\" 'd'\u{1}\u{b}\u{ffff} e\r\nf\tg é 🌳",
        );
        assert_eq!(
            out,
            "a &amp; &lt;b&gt; &quot;c&quot; &apos;d&apos;\u{fffd}\u{fffd}\u{fffd} e&#13;\nf\tg é 🌳"
        );
    }

    #[test]
    fn extensions_pick_the_format() {
        assert_eq!(
            split_format("services.json"),
            Some(("services", Format::Json))
        );
        assert_eq!(
            split_format("requests.xml"),
            Some(("requests", Format::Xml))
        );
        assert_eq!(split_format("7.xml"), Some(("7", Format::Xml)));
        assert_eq!(split_format("services.csv"), None);
        assert_eq!(split_format("services"), None);
    }

    #[test]
    fn one_record_renders_as_json_and_xml_in_order() {
        let record = Record::default()
            .text("service_request_id", "12")
            .text("service_notice", "<b>dank & tot ziens</b>")
            .opt("account_id", None)
            .with("lat", Field::Float(52.5))
            .with(
                "values",
                Field::List(
                    "value",
                    vec![Record::default().text("key", "k").text("name", "n")],
                ),
            );
        let body = Body::List {
            root: "service_requests",
            item: "request",
            records: vec![record],
        };
        let (ct, json) = body.render(Format::Json);
        assert_eq!(ct, "application/json; charset=utf-8");
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[0]["service_request_id"], "12");
        assert_eq!(v[0]["account_id"], Value::Null);
        assert_eq!(v[0]["lat"], 52.5);
        assert_eq!(v[0]["values"][0]["key"], "k");
        let (ct, xml) = body.render(Format::Xml);
        assert_eq!(ct, "text/xml; charset=utf-8");
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<service_requests><request>\
             <service_request_id>12</service_request_id>\
             <service_notice>&lt;b&gt;dank &amp; tot ziens&lt;/b&gt;</service_notice>\
             <account_id/><lat>52.5</lat>\
             <values><value><key>k</key><name>n</name></value></values>\
             </request></service_requests>\n"
        );
    }

    async fn body_text(r: Response) -> String {
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn errors_take_the_spec_shape_with_the_http_status() {
        let invalid = ApiError::Invalid {
            message: "invalid".into(),
            errors: vec![
                crate::observations::FieldError {
                    field: "attribute[severity]".into(),
                    message: "\"awful\" is not one of …".into(),
                },
                crate::observations::FieldError {
                    field: "description".into(),
                    message: "too long".into(),
                },
            ],
        };
        let r = error_response(Format::Json, &invalid);
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let v: Value = serde_json::from_str(&body_text(r).await).unwrap();
        assert_eq!(
            v.as_array().unwrap().len(),
            2,
            "one error per failing attribute: {v}"
        );
        assert_eq!(v[0]["code"], 422);
        assert!(
            v[0]["description"]
                .as_str()
                .unwrap()
                .starts_with("attribute[severity]: ")
        );

        let r = error_response(
            Format::Xml,
            &ApiError::NotFound("no service_code \"x\"".into()),
        );
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            body_text(r).await,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<errors><error><code>404</code>\
             <description>no service_code &quot;x&quot;</description></error></errors>\n"
        );

        let r = error_response(Format::Json, &ApiError::Internal("disk on fire".into()));
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            !body_text(r).await.contains("disk"),
            "internals stay inside"
        );

        let r = error_response(Format::Json, &ApiError::TooManyRequests { retry_after: 7 });
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "7");
    }
}
