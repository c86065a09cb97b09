//! CSV files as the spreadsheet programs of wijkbedrijven and gemeenten open them: the one CSV
//! writer, used by the letters for a mail merge (`letters.rs`) and the report exports
//! (`routes/exports/formats.rs`).
//!
//! RFC 4180 through the `csv` crate: CRLF line ends; a field with `,`, `"`, CR or LF is quoted and
//! its quotes doubled. UTF-8 with a byte-order mark: without it Excel, the program most
//! wijkbedrijven open CSV with, reads the file in the Windows code page and garbles every ë and é.
//! Text from people goes through [`defuse`] so that a spreadsheet shows it instead of running it
//! as a formula (CSV injection).

use std::borrow::Cow;

/// A CSV file under construction, in memory.
pub(crate) struct CsvFile(csv::Writer<Vec<u8>>);

impl CsvFile {
    /// A file that starts with the byte-order mark and the header row. Every later record must
    /// have as many fields as the header.
    pub(crate) fn new<I, S>(header: I) -> Result<Self, csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let bom = "\u{FEFF}".as_bytes().to_vec();
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(bom);
        let mut file = Self(writer);
        file.record(header)?;
        Ok(file)
    }

    /// Writes one record, each field as it is given: pass text through [`defuse`] first, numbers
    /// as they are (a negative longitude must stay a number).
    pub(crate) fn record<I, S>(&mut self, fields: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for field in fields {
            self.0.write_field(field.as_ref())?;
        }
        // Ends the record (and checks its length against the header's).
        self.0.write_record(None::<&[u8]>)
    }

    /// The bytes of the file.
    pub(crate) fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.0
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

/// A text field a spreadsheet shows as text: one that starts with `=`, `+`, `-` or `@` (or a tab
/// or CR, which some spreadsheets skip before looking) gets a leading `'`, so it is not evaluated
/// as a formula. The quoting is the writer's.
pub(crate) fn defuse(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    /// The file of one text row after a two-column header, as a string.
    fn one_row(a: &str, b: &str) -> String {
        let mut f = CsvFile::new(["a", "b"]).unwrap();
        f.record([defuse(a), defuse(b)]).unwrap();
        String::from_utf8(f.finish().unwrap()).unwrap()
    }

    #[test]
    fn bom_header_and_crlf() {
        assert_eq!(one_row("x", "ë"), "\u{FEFF}a,b\r\nx,ë\r\n");
        let empty = CsvFile::new(["a", "b"]).unwrap().finish().unwrap();
        assert_eq!(empty, "\u{FEFF}a,b\r\n".as_bytes());
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(
            one_row("Hof 1, achter", "x"),
            "\u{FEFF}a,b\r\n\"Hof 1, achter\",x\r\n"
        );
        assert_eq!(
            one_row(r#"De "Oude" Hof"#, "a\nb"),
            "\u{FEFF}a,b\r\n\"De \"\"Oude\"\" Hof\",\"a\nb\"\r\n"
        );
        assert_eq!(
            one_row("Dorpsstraat 12A-2", ""),
            "\u{FEFF}a,b\r\nDorpsstraat 12A-2,\r\n"
        );
        assert_eq!(one_row(" x ", "#y"), "\u{FEFF}a,b\r\n x ,#y\r\n");
    }

    #[test]
    fn formulas_are_defused() {
        for bad in ["=1+1", "+31", "-2", "@SUM(A1)", "\tx"] {
            assert_eq!(defuse(bad), format!("'{bad}"));
        }
        for fine in ["1+1", "a=b", "'=x", "", "Ĳsselkade"] {
            assert_eq!(defuse(fine), fine);
        }
        assert_eq!(
            one_row("=HYPERLINK(\"x\",\"y\")", "\rx"),
            "\u{FEFF}a,b\r\n\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",\"'\rx\"\r\n"
        );
    }

    #[test]
    fn a_record_of_another_length_is_an_error() {
        let mut f = CsvFile::new(["a", "b"]).unwrap();
        assert!(f.record(["only one"]).is_err());
    }
}
