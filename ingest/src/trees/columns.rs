//! Which columns of a tree register hold the tree's number, species and planting year. There is
//! no national schema: the common Dutch names are built in, and the importer may be told others.

/// Column names that hold a tree's own number, most specific first.
pub const ID_COLUMNS: &[&str] = &[
    "BOOMNUMMER",
    "BOOMNR",
    "BOOM_ID",
    "BOOMID",
    "ELEMENTNR",
    "ELEMENTNUMMER",
    "BEHEEROBJECTNUMMER",
    "OBJECTNUMMER",
    "NUMMER",
    "ID",
    "OBJECTID",
    "FID",
    "GUID",
];

/// Column names that hold the species.
pub const SPECIES_COLUMNS: &[&str] = &[
    "BOOMSOORT",
    "BOOMSOORT_WETENSCHAPPELIJK",
    "WETENSCHAPPELIJKE_NAAM",
    "LATIJNSE_NAAM",
    "SOORTNAAM",
    "SOORT",
    "BOOMSOORT_NEDERLANDS",
    "NEDERLANDSE_NAAM",
    "SPECIES",
];

/// Column names that hold the year planted.
pub const YEAR_COLUMNS: &[&str] = &[
    "PLANTJAAR",
    "AANLEGJAAR",
    "JAAR_VAN_AANLEG",
    "JAARVANAANLEG",
    "PLANTDATUM",
    "AANLEGDATUM",
];

/// The columns to read a tree register by; `None` for the built-in names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeColumns {
    /// The tree's own number.
    pub id: Option<String>,
    /// Its species.
    pub species: Option<String>,
    /// The year it was planted.
    pub year: Option<String>,
}

/// Whether column `name` is `candidate`: equal ignoring case, or — dBase cuts names to 10
/// characters — the first 10 characters of a longer candidate.
fn matches(name: &str, candidate: &str) -> bool {
    name.eq_ignore_ascii_case(candidate)
        || (name.len() == 10
            && candidate.len() > 10
            && candidate.is_char_boundary(10)
            && name.eq_ignore_ascii_case(&candidate[..10]))
}

/// The index among `names` of the column for `given` (a name the importer was told: it must be
/// there) or else of the first built-in candidate present. `Err` names the column asked for.
pub(crate) fn find(
    names: &[String],
    given: Option<&str>,
    candidates: &[&str],
) -> Result<Option<usize>, String> {
    if let Some(given) = given {
        return names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(given))
            .map(Some)
            .ok_or_else(|| format!("no column {given:?}"));
    }
    Ok(candidates
        .iter()
        .find_map(|c| names.iter().position(|n| matches(n, c))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_names_are_found_whatever_their_case_or_dbase_cut() {
        let names: Vec<String> = ["OBJECTID", "ELEMENTNR", "Boomsoort_", "plantjaar"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            find(&names, None, ID_COLUMNS),
            Ok(Some(1)),
            "ELEMENTNR before OBJECTID"
        );
        assert_eq!(find(&names, None, SPECIES_COLUMNS), Ok(Some(2)));
        assert_eq!(find(&names, None, YEAR_COLUMNS), Ok(Some(3)));
        assert_eq!(find(&names, Some("objectid"), ID_COLUMNS), Ok(Some(0)));
        assert_eq!(
            find(&names, Some("nr"), ID_COLUMNS),
            Err("no column \"nr\"".into())
        );
        assert_eq!(find(&names[2..], None, ID_COLUMNS), Ok(None));
    }
}
