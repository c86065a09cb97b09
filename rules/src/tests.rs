//! Tests of the rule language.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::collections::HashMap;

use crate::{FieldId, Row, Schema, compile};

fn schema() -> Schema {
    let mut s = Schema::new();
    s.number("bouwjaar", "year of construction");
    s.number("b3_opp_dak_plat", "flat roof area, m²");
    s.number("b3_opp_dak_schuin", "sloped roof area, m²");
    s.enumeration(
        "energieklasse",
        &[
            "A++++", "A+++", "A++", "A+", "A", "B", "C", "D", "E", "F", "G",
        ],
        "energy label",
    );
    s.enumeration(
        "solar_panels.status_class",
        &["panels_seen", "no_panels", "unknown"],
        "newest solar panel observation",
    );
    s.text("straat", "street");
    s.boolean("monument", "listed building");
    s
}

#[derive(Default)]
struct R {
    n: HashMap<FieldId, f64>,
    t: HashMap<FieldId, String>,
    b: HashMap<FieldId, bool>,
}

impl Row for R {
    fn number(&self, f: FieldId) -> Option<f64> {
        self.n.get(&f).copied()
    }
    fn text(&self, f: FieldId) -> Option<&str> {
        self.t.get(&f).map(String::as_str)
    }
    fn boolean(&self, f: FieldId) -> Option<bool> {
        self.b.get(&f).copied()
    }
}

fn row(s: &Schema, values: &[(&str, &str)]) -> R {
    let mut r = R::default();
    for (k, v) in values {
        let (id, kind) = s.get(k).unwrap();
        match kind {
            crate::FieldType::Number => {
                r.n.insert(id, v.parse().unwrap());
            }
            crate::FieldType::Text => {
                r.t.insert(id, (*v).to_owned());
            }
            crate::FieldType::Bool => {
                r.b.insert(id, *v == "true");
            }
        }
    }
    r
}

#[test]
fn the_issues_example_compiles_and_evaluates() {
    let s = schema();
    let p = compile(
        "b3_opp_dak_schuin + b3_opp_dak_plat > 20 AND NOT solar_panels.status_class = 'panels_seen'",
        &s,
    )
    .unwrap();
    let big = [("b3_opp_dak_schuin", "15"), ("b3_opp_dak_plat", "10")];
    assert!(
        !p.matches(&row(&s, &big)),
        "without a value for the status the NOT is unknown, and unknown is not true"
    );
    let mut unknown = big.to_vec();
    unknown.push(("solar_panels.status_class", "unknown"));
    assert!(p.matches(&row(&s, &unknown)));
    let mut with_panels = big.to_vec();
    with_panels.push(("solar_panels.status_class", "panels_seen"));
    assert!(!p.matches(&row(&s, &with_panels)));
    let mut no_panels = big.to_vec();
    no_panels.push(("solar_panels.status_class", "no_panels"));
    assert!(p.matches(&row(&s, &no_panels)));
    assert!(
        !p.matches(&row(&s, &[("b3_opp_dak_schuin", "15")])),
        "a missing roof part is unknown, not zero"
    );
    assert_eq!(p.fields().len(), 3);
}

#[test]
fn missing_values_are_unknown_and_unknown_is_not_true() {
    let s = schema();
    let old = compile("bouwjaar < 1975", &s).unwrap();
    let not_old = compile("NOT (bouwjaar < 1975)", &s).unwrap();
    let empty = row(&s, &[]);
    assert!(!old.matches(&empty) && !not_old.matches(&empty));
    let either = compile("bouwjaar < 1975 OR energieklasse IN ('E', 'F', 'G')", &s).unwrap();
    assert!(either.matches(&row(&s, &[("energieklasse", "F")])));
    assert!(!either.matches(&row(&s, &[("energieklasse", "B")])));
    assert!(compile("bouwjaar IS NULL", &s).unwrap().matches(&empty));
    assert!(
        compile("bouwjaar IS NOT NULL", &s)
            .unwrap()
            .matches(&row(&s, &[("bouwjaar", "1990")]))
    );
}

#[test]
fn between_like_arithmetic_and_flags() {
    let s = schema();
    let r = row(
        &s,
        &[
            ("bouwjaar", "1965"),
            ("straat", "Kerkstraat"),
            ("monument", "true"),
        ],
    );
    for (cql, want) in [
        ("bouwjaar BETWEEN 1960 AND 1990", true),
        ("bouwjaar NOT BETWEEN 1960 AND 1990", false),
        ("straat LIKE 'Kerk%'", true),
        ("straat LIKE 'K_rkstraat'", true),
        ("straat LIKE '%plein'", false),
        ("monument", true),
        ("monument = FALSE", false),
        ("bouwjaar * 2 / 10 = 393", true),
        ("bouwjaar / 0 > 1", false),
    ] {
        assert_eq!(compile(cql, &s).unwrap().matches(&r), want, "{cql}");
    }
}

#[test]
fn errors_name_the_field_and_where_it_is() {
    let s = schema();
    let e = compile("bouwjar < 1975", &s).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("bouwjar"));
    assert_eq!(e.position, Some((1, 1)));
    assert!(e.message.contains("did you mean bouwjaar"), "{}", e.message);
    let e = compile("straat = 'x' AND\n  bouwjaar = 'oud'", &s).unwrap_err();
    assert_eq!(
        (e.field.as_deref(), e.position),
        (Some("bouwjaar"), Some((2, 3)))
    );
    assert!(
        e.message.contains("cannot compare a number with a text"),
        "{}",
        e.message
    );
    let e = compile("energieklasse = 'H'", &s).unwrap_err();
    assert!(e.message.contains("never \"H\""), "{}", e.message);
    let e = compile("bouwjaar <", &s).unwrap_err();
    assert!(
        e.position.is_some() && e.message.starts_with("not valid CQL2"),
        "{e}"
    );
    let e = compile("S_INTERSECTS(geometry, POINT(1 2))", &s).unwrap_err();
    assert!(e.message.contains("not supported"), "{}", e.message);
    let e = compile("bouwjaar", &s).unwrap_err();
    assert!(e.message.contains("not a condition"), "{}", e.message);
    assert!(compile(&"(".repeat(200), &s).is_err());
    assert!(compile(&"x = 1 AND ".repeat(1000), &s).is_err());
}
