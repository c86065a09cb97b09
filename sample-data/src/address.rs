//! Addresses: street names with the next house number on each side, and postcodes.

/// Streets created so far and the next house number on each side (odd numbers on the south
/// side, even on the north side, rising west to east).
#[derive(Debug, Default)]
pub(crate) struct Streets {
    pub(crate) names: Vec<String>,
    next: Vec<[u32; 2]>,
}

impl Streets {
    /// Adds a street; returns its index.
    pub(crate) fn add(&mut self, name: String) -> u32 {
        self.names.push(name);
        self.next.push([1, 2]);
        (self.names.len() - 1) as u32
    }

    /// Takes the next house number of `street` on `side` (0 south, 1 north).
    pub(crate) fn next_number(&mut self, street: u32, side: usize) -> u32 {
        let next = &mut self.next[street as usize][side];
        let n = *next;
        *next += 2;
        n
    }
}

/// Letters of Dutch postcodes: F, I, O, Q, U and Y are not used.
const POSTCODE_LETTERS: &[u8; 20] = b"ABCDEGHJKLMNPRSTVWXZ";

/// The `index`-th postcode of the number `pc4`: `1234AA`, `1234AB`, …, skipping SA, SD and SS.
pub(crate) fn postcode(pc4: u16, index: usize) -> [u8; 6] {
    let pairs = POSTCODE_LETTERS
        .iter()
        .flat_map(|&a| POSTCODE_LETTERS.iter().map(move |&b| [a, b]))
        .filter(|p| !matches!(p, b"SA" | b"SD" | b"SS"));
    let count = 20 * 20 - 3;
    let [a, b] = pairs.clone().nth(index % count).unwrap_or(*b"AA");
    let d = format!("{:04}", pc4 % 10_000);
    let d = d.as_bytes();
    [d[0], d[1], d[2], d[3], a, b]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_skip_the_forbidden_pairs() {
        assert_eq!(&postcode(1234, 0), b"1234AA");
        assert_eq!(&postcode(1234, 1), b"1234AB");
        assert_eq!(&postcode(999, 20), b"0999BA");
        let all: Vec<[u8; 6]> = (0..397).map(|i| postcode(7000, i)).collect();
        assert!(
            all.iter()
                .all(|p| !matches!(&p[4..], b"SA" | b"SD" | b"SS"))
        );
        let unique: std::collections::BTreeSet<_> = all.iter().collect();
        assert_eq!(unique.len(), 397);
    }
}
