//! The Shanghai fixtures (`fixtures/shanghai/`), embedded in the library: every actor and tie
//! the source document names. `innograph overview` builds the default database from them, and
//! the generator writes them into its output so that generated data extends them instead of
//! replacing them. This module holds text only and imports nothing.

/// `fixtures/shanghai/nodes.csv`: header `id,kind,name,name_en,…`, one node a row.
pub const SHANGHAI_NODES_CSV: &str = include_str!("../fixtures/shanghai/nodes.csv");

/// `fixtures/shanghai/edges.csv`: header `source,target,kind,key,weight,props.…`, one edge a row.
pub const SHANGHAI_EDGES_CSV: &str = include_str!("../fixtures/shanghai/edges.csv");

#[cfg(test)]
mod tests {
    use super::*;

    /// Every district says what it is, so "outside Shanghai" needs no guess from the name.
    #[test]
    fn fixture_districts_carry_their_type() {
        let mut rows = csv::Reader::from_reader(SHANGHAI_NODES_CSV.as_bytes());
        let header = rows.headers().unwrap().clone();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (id, kind, ty) = (col("id"), col("kind"), col("district_type"));
        let mut provinces = Vec::new();
        for row in rows.records() {
            let row = row.unwrap();
            if &row[kind] != "district" {
                assert_eq!(&row[ty], "", "{}", &row[id]);
                continue;
            }
            assert!(
                ["city", "district", "zone", "province"].contains(&&row[ty]),
                "{}: {:?}",
                &row[id],
                &row[ty]
            );
            if &row[ty] == "province" {
                provinces.push(row[id].to_string());
            }
        }
        assert_eq!(
            provinces,
            ["district:jiangsu", "district:zhejiang", "district:anhui"]
        );
    }
}
