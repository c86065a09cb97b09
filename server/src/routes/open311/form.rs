//! The form of `POST requests`: decoding, the location, attributes → the type's answers, and the
//! contact details (kept apart from the report).

use serde_json::{Map, Value};
use store::people::ReporterContact;

use super::services::{Datatype, NOTE, attributes};
use crate::error::{ApiError, ApiResult};
use crate::observations::{FieldError, TypeDefinition};

/// Decodes an `application/x-www-form-urlencoded` body into its pairs, in order.
pub(super) fn parse_form(body: &[u8]) -> ApiResult<Vec<(String, String)>> {
    let decode = |s: &[u8]| -> ApiResult<String> {
        let mut out = Vec::with_capacity(s.len());
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = s
                        .get(i + 1..i + 3)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                        .ok_or_else(|| {
                            ApiError::BadRequest("the form has a broken %-escape".into())
                        })?;
                    out.push(hex);
                    i += 2;
                }
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8(out)
            .map_err(|_| ApiError::BadRequest("the form is not UTF-8 (the spec asks UTF-8)".into()))
    };
    body.split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = match p.iter().position(|b| *b == b'=') {
                Some(i) => (&p[..i], &p[i + 1..]),
                None => (p, &b""[..]),
            };
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

/// The fields of a POST, parsed.
#[derive(Debug, Default, PartialEq)]
pub(super) struct PostForm {
    pub(super) service_code: Option<String>,
    pub(super) lat: Option<String>,
    pub(super) long: Option<String>,
    pub(super) address: bool,
    pub(super) description: Option<String>,
    pub(super) email: Option<String>,
    pub(super) first_name: Option<String>,
    pub(super) last_name: Option<String>,
    pub(super) phone: Option<String>,
    pub(super) media_url: bool,
    /// (code, given as `attribute[code][]`, value), in order.
    pub(super) attributes: Vec<(String, bool, String)>,
}

impl PostForm {
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> ApiResult<Self> {
        let mut f = Self::default();
        for (k, v) in pairs {
            // "Optional" in the spec: an empty parameter is one not given.
            let v = v.trim().to_owned();
            if v.is_empty() {
                continue;
            }
            if let Some(rest) = k.strip_prefix("attribute[") {
                let (code, list) = match rest.strip_suffix("][]") {
                    Some(c) => (c, true),
                    None => (
                        rest.strip_suffix(']').ok_or_else(|| {
                            ApiError::param(
                                &k,
                                "attributes are attribute[code]=value or attribute[code][]=value",
                            )
                        })?,
                        false,
                    ),
                };
                f.attributes.push((code.to_owned(), list, v));
                continue;
            }
            let slot = match k.as_str() {
                "service_code" => &mut f.service_code,
                "lat" => &mut f.lat,
                "long" => &mut f.long,
                "description" => &mut f.description,
                "email" => &mut f.email,
                "first_name" => &mut f.first_name,
                "last_name" => &mut f.last_name,
                "phone" => &mut f.phone,
                "address_string" | "address_id" => {
                    f.address = true;
                    continue;
                }
                "media_url" => {
                    f.media_url = true;
                    continue;
                }
                // One jurisdiction; no API keys, accounts or device ids are kept.
                _ => continue,
            };
            if slot.replace(v).is_some() {
                return Err(ApiError::param(&k, "given twice"));
            }
        }
        Ok(f)
    }

    /// WGS84 (lon, lat).
    pub(super) fn lonlat(&self) -> ApiResult<[f64; 2]> {
        let (Some(lat), Some(lon)) = (&self.lat, &self.long) else {
            return Err(ApiError::BadRequest(if self.address {
                "give lat/long: this server does not look up address_string or address_id".into()
            } else {
                "give lat and long (WGS84 degrees)".into()
            }));
        };
        let lat: f64 = lat
            .parse()
            .ok()
            .filter(|v: &f64| (-90.0..=90.0).contains(v))
            .ok_or_else(|| ApiError::param("lat", "a WGS84 latitude in degrees, -90 to 90"))?;
        let lon: f64 = lon
            .parse()
            .ok()
            .filter(|v: &f64| (-180.0..=180.0).contains(v))
            .ok_or_else(|| ApiError::param("long", "a WGS84 longitude in degrees, -180 to 180"))?;
        Ok([lon, lat])
    }
}

/// The request's attributes as the type's answers (`description` → `note`), and an error for each
/// attribute that cannot be one.
pub(super) fn answers_from(def: &TypeDefinition, form: &PostForm) -> (Value, Vec<FieldError>) {
    let attrs = attributes(def);
    let mut answers = Map::new();
    let mut errors = Vec::new();
    let err = |field: String, message: String| FieldError { field, message };
    for (code, list, raw) in &form.attributes {
        let Some(a) = attrs.iter().find(|a| a.code == *code) else {
            let known: Vec<&str> = attrs.iter().map(|a| a.code.as_str()).collect();
            errors.push(err(
                format!("attribute[{code}]"),
                format!(
                    "service {} has no such attribute; its attributes are {}",
                    def.name,
                    known.join(", ")
                ),
            ));
            continue;
        };
        let value = a.answer(raw);
        if a.datatype == Datatype::MultiValueList {
            let entry = answers
                .entry(code.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(v) = entry {
                v.push(value);
            }
        } else if *list || answers.contains_key(code) {
            errors.push(err(format!("attribute[{code}]"), "takes one value".into()));
        } else {
            answers.insert(code.clone(), value);
        }
    }
    if let Some(d) = &form.description {
        answers.insert(NOTE.to_owned(), Value::String(d.clone()));
    }
    for a in attrs
        .iter()
        .filter(|a| a.required && !answers.contains_key(&a.code))
    {
        let choose = if a.values.is_empty() {
            String::new()
        } else {
            let keys: Vec<&str> = a.values.iter().map(|(k, _)| k.as_str()).collect();
            format!(" (one of {})", keys.join(", "))
        };
        errors.push(err(
            format!("attribute[{}]", a.code),
            format!("required{choose}"),
        ));
    }
    (Value::Object(answers), errors)
}

/// A field error of [`prepare`] in the request's own terms.
pub(super) fn open311_field(e: FieldError) -> FieldError {
    let field = match e.field.strip_prefix("/answers") {
        Some("") => "attributes".to_owned(),
        Some(rest) => {
            let code = rest.trim_start_matches('/').split('/').next().unwrap_or("");
            if code == NOTE {
                "description".to_owned()
            } else {
                format!("attribute[{code}]")
            }
        }
        None if e.field.starts_with("/target") => "lat/long".to_owned(),
        None => e.field.trim_start_matches('/').to_owned(),
    };
    FieldError { field, ..e }
}

/// Contact details as given (kept apart from the report), or errors.
pub(super) fn contact_of(form: &PostForm) -> (Option<ReporterContact>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut check =
        |field: &str, v: &Option<String>, max: usize, ok: &dyn Fn(&str) -> bool, what: &str| {
            if let Some(v) = v
                && (v.chars().count() > max || !ok(v))
            {
                errors.push(FieldError {
                    field: field.to_owned(),
                    message: what.to_owned(),
                });
            }
        };
    let no_controls = |s: &str| !s.chars().any(char::is_control);
    check(
        "email",
        &form.email,
        254,
        &|s| {
            s.split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                && !s.chars().any(char::is_whitespace)
        },
        "an e-mail address of at most 254 characters",
    );
    check(
        "first_name",
        &form.first_name,
        100,
        &no_controls,
        "at most 100 characters",
    );
    check(
        "last_name",
        &form.last_name,
        100,
        &no_controls,
        "at most 100 characters",
    );
    check(
        "phone",
        &form.phone,
        32,
        &|s| {
            s.chars().filter(char::is_ascii_digit).count() >= 6
                && s.chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        },
        "a phone number: digits, spaces, + - ( ) and at most 32 characters",
    );
    let name = [&form.first_name, &form.last_name]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    let contact = (form.email.is_some() || form.phone.is_some() || !name.is_empty()).then(|| {
        ReporterContact {
            name: (!name.is_empty()).then_some(name),
            email: form.email.clone(),
            phone: form.phone.clone(),
        }
    });
    (contact, errors)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::observations::TypeRegistry;

    fn greenery() -> TypeDefinition {
        TypeRegistry::load(&[])
            .current("greenery_distress")
            .unwrap()
            .def
            .clone()
    }

    fn form(body: &str) -> PostForm {
        PostForm::from_pairs(parse_form(body.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn forms_decode_escapes_plus_and_brackets() {
        let pairs =
            parse_form(b"a=1&attribute%5Bcause%5D=heat&description=dode+boom%3A+%C3%A9&&empty=")
                .unwrap();
        assert_eq!(
            pairs,
            [
                ("a".to_owned(), "1".to_owned()),
                ("attribute[cause]".to_owned(), "heat".to_owned()),
                ("description".to_owned(), "dode boom: é".to_owned()),
                ("empty".to_owned(), String::new()),
            ]
        );
        assert!(parse_form(b"a=%zz").is_err());
        assert!(parse_form(b"a=%ff").is_err(), "not UTF-8");
        assert!(PostForm::from_pairs(parse_form(b"lat=1&lat=2").unwrap()).is_err());
        assert!(PostForm::from_pairs(parse_form(b"attribute[x=1").unwrap()).is_err());
    }

    #[test]
    fn attributes_map_to_answers_and_description_to_the_note() {
        let f = form(
            "service_code=greenery_distress&lat=52.1&long=5.1&attribute[object]=tree\
             &attribute[severity]=dying&attribute[cause]=&description=Droog&api_key=x&jurisdiction_id=y",
        );
        let [lon, lat] = f.lonlat().unwrap();
        assert!(
            (lon - 5.1).abs() < 1e-12 && (lat - 52.1).abs() < 1e-12,
            "[lon, lat]"
        );
        let (answers, errors) = answers_from(&greenery(), &f);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            answers,
            json!({"object": "tree", "severity": "dying", "note": "Droog"}),
            "an empty attribute is one not given"
        );
    }

    #[test]
    fn every_failing_attribute_is_named() {
        let f = form(
            "attribute[object]=tree&attribute[object]=grass&attribute[colour]=red&attribute[cause][]=heat",
        );
        let (_, errors) = answers_from(&greenery(), &f);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "attribute[object]",
                "attribute[colour]",
                "attribute[cause]",
                "attribute[severity]"
            ],
            "{errors:?}"
        );
        assert!(
            errors[3].message.contains("dying"),
            "required lists the keys"
        );
    }

    #[test]
    fn multivalue_attributes_collect_into_arrays() {
        let gas = TypeRegistry::load(&[])
            .current("gas_readiness")
            .unwrap()
            .def
            .clone();
        let f = form(
            "attribute[insulation][]=roof&attribute[insulation][]=glass&attribute[heating]=heat_pump",
        );
        let (answers, _) = answers_from(&gas, &f);
        assert_eq!(answers["insulation"], json!(["roof", "glass"]));
        assert_eq!(answers["heating"], "heat_pump");
    }

    #[test]
    fn locations_need_lat_and_long() {
        let e = form("address_string=Dorpsstraat+1").lonlat().unwrap_err();
        assert!(e.to_string().contains("give lat/long"), "{e}");
        assert!(form("lat=52").lonlat().is_err());
        assert!(form("lat=95&long=5").lonlat().is_err());
        assert!(form("lat=52&long=x").lonlat().is_err());
    }

    #[test]
    fn schema_errors_speak_of_attributes() {
        let e = |field: &str| {
            open311_field(FieldError {
                field: field.into(),
                message: "m".into(),
            })
            .field
        };
        assert_eq!(e("/answers/severity"), "attribute[severity]");
        assert_eq!(e("/answers/insulation/1"), "attribute[insulation]");
        assert_eq!(e("/answers/note"), "description");
        assert_eq!(e("/answers"), "attributes");
        assert_eq!(e("/target/tree"), "lat/long");
    }

    #[test]
    fn contact_details_are_checked_and_kept_together() {
        let (c, errors) = contact_of(&form(
            "email=a%40b.nl&first_name=Jan&last_name=Jansen&phone=%2B31+6+12345678",
        ));
        assert!(errors.is_empty(), "{errors:?}");
        let c = c.unwrap();
        assert_eq!(c.name.as_deref(), Some("Jan Jansen"));
        assert_eq!(c.email.as_deref(), Some("a@b.nl"));
        assert_eq!(c.phone.as_deref(), Some("+31 6 12345678"));
        let (_, errors) = contact_of(&form("email=nope&phone=call+me"));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(contact_of(&form("lat=1")).0.is_none());
    }
}
