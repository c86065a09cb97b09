//! EP-Online's header and rows: which column holds what, and the fields of one row, split only as
//! far as the last column wanted.

/// Where the wanted columns are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Columns {
    vbo: usize,
    class: usize,
    date: usize,
    building: Option<usize>,
    building_class: Option<usize>,
    building_type: Option<usize>,
    index: Option<usize>,
    /// Fields to split: one past the last wanted column.
    needed: usize,
}

/// Whether `line` is the header (its first field is a `Pand_*` column).
pub(super) fn is_header(line: &[u8]) -> bool {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let line = line.strip_prefix(b"\"").unwrap_or(line);
    line.len() >= 5 && line[..5].eq_ignore_ascii_case(b"Pand_")
}

fn names(line: &[u8]) -> Vec<String> {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    line.split(|&b| b == b';')
        .map(|n| {
            String::from_utf8_lossy(n.trim_ascii())
                .trim_matches('"')
                .to_owned()
        })
        .collect()
}

/// The header's column names for a message (each cut short, at most 60 of them).
pub(super) fn header_names(line: &[u8]) -> String {
    let all = names(line);
    let mut shown: Vec<String> = all.iter().take(60).map(|n| domain::excerpt(n)).collect();
    if all.len() > 60 {
        shown.push(format!("… ({} in all)", all.len()));
    }
    shown.join(", ")
}

impl Columns {
    /// The columns of header `line`, or what is missing.
    pub(super) fn new(line: &[u8]) -> Result<Self, String> {
        let names = names(line);
        let find = |wanted: &[&str]| {
            wanted
                .iter()
                .find_map(|w| names.iter().position(|n| n.eq_ignore_ascii_case(w)))
        };
        let required = |name: &str| find(&[name]).ok_or_else(|| format!("no column {name}"));
        let vbo = required("Pand_bagverblijfsobjectid")?;
        let class = required("Pand_energieklasse")?;
        let date = required("Pand_registratiedatum")?;
        let building = find(&["Pand_bagpandid"]);
        let building_class = find(&["Pand_gebouwklasse"]);
        let building_type = find(&["Pand_gebouwtype"]);
        let index = find(&["Pand_energieindex", "Pand_energieprestatieindex"]);
        let needed = [vbo, class, date]
            .into_iter()
            .chain(building)
            .chain(building_class)
            .chain(building_type)
            .chain(index)
            .max()
            .unwrap_or(0)
            + 1;
        Ok(Self {
            vbo,
            class,
            date,
            building,
            building_class,
            building_type,
            index,
            needed,
        })
    }
}

/// The wanted fields of one row (quotes removed; a doubled quote inside stays doubled, which no
/// wanted column holds).
#[derive(Debug)]
pub(super) struct Row<'a> {
    pub(super) vbo: &'a [u8],
    pub(super) class: &'a [u8],
    pub(super) date: &'a [u8],
    pub(super) building: Option<&'a [u8]>,
    pub(super) building_class: Option<&'a [u8]>,
    pub(super) building_type: Option<&'a [u8]>,
    pub(super) index: Option<&'a [u8]>,
}

/// Reused field boundaries.
#[derive(Debug, Default)]
pub(super) struct Fields {
    bounds: Vec<(usize, usize)>,
}

impl Fields {
    /// Splits `line` into the fields `columns` wants; an error says why the line is not a row.
    pub(super) fn split<'a>(
        &mut self,
        line: &'a [u8],
        columns: &Columns,
    ) -> Result<Row<'a>, String> {
        self.bounds.clear();
        let mut at = 0;
        while self.bounds.len() < columns.needed {
            if at > line.len() {
                return Err(format!(
                    "{} fields where the header has at least {}: the line is cut short or not a row",
                    self.bounds.len(),
                    columns.needed
                ));
            }
            if line.get(at) == Some(&b'"') {
                // A quoted field: up to the closing quote not followed by another.
                let mut end = at + 1;
                loop {
                    match memchr::memchr(b'"', &line[end..]) {
                        Some(i) if line.get(end + i + 1) == Some(&b'"') => end += i + 2,
                        Some(i) => {
                            end += i;
                            break;
                        }
                        None => return Err("a quoted field is not closed".into()),
                    }
                }
                self.bounds.push((at + 1, end));
                at = end + 1;
                if at < line.len() && line[at] != b';' {
                    return Err("text after a closing quote".into());
                }
                at += 1;
            } else {
                let end = memchr::memchr(b';', &line[at..]).map_or(line.len(), |i| at + i);
                self.bounds.push((at, end));
                at = end + 1;
            }
        }
        let field = |i: usize| {
            let (a, b) = self.bounds[i];
            &line[a..b]
        };
        let optional = |i: Option<usize>| i.map(field);
        Ok(Row {
            vbo: field(columns.vbo),
            class: field(columns.class),
            date: field(columns.date),
            building: optional(columns.building),
            building_class: optional(columns.building_class),
            building_type: optional(columns.building_type),
            index: optional(columns.index),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] =
        b"Pand_opnamedatum;Pand_energieindex;Pand_energieklasse;Pand_gebouwklasse;\
Pand_registratiedatum;Pand_bagverblijfsobjectid;Pand_bagpandid;Pand_gebouwtype;Pand_SBIcode";

    #[test]
    fn rows_split_as_far_as_wanted_with_quotes() {
        let c = Columns::new(HEADER).unwrap();
        assert_eq!(c.needed, 8);
        let mut f = Fields::default();
        let r = f
            .split(
                b"20240101;1,23;A++;W;20240201;\"0221010000000001\";0221100000000001;Tussenwoning",
                &c,
            )
            .unwrap();
        assert_eq!(r.vbo, b"0221010000000001");
        assert_eq!(r.class, b"A++");
        assert_eq!(r.index, Some(&b"1,23"[..]));
        assert_eq!(r.building_type, Some(&b"Tussenwoning"[..]));
        let cut = f.split(b"20240101;1,23;A++;W;2024", &c).unwrap_err();
        assert!(
            cut.contains("5 fields where the header has at least 8"),
            "{cut}"
        );
        assert!(f.split(b"\"open;1;2;3;4;5;6;7", &c).is_err());
    }

    #[test]
    fn the_older_index_column_counts_and_missing_columns_are_named() {
        let old = b"Pand_bagverblijfsobjectid;Pand_energieklasse;Pand_registratiedatum;Pand_energieprestatieindex";
        assert_eq!(Columns::new(old).unwrap().index, Some(3));
        let err = Columns::new(b"Pand_energieklasse;Pand_registratiedatum").unwrap_err();
        assert_eq!(err, "no column Pand_bagverblijfsobjectid");
        assert!(is_header(b"\xEF\xBB\xBF\"Pand_opnamedatum\";x"));
        assert!(!is_header(b"PublicatieDatum;01-09-2026"));
    }
}
