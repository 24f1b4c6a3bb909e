//! The years a planners' question is asked over (`--years A..B`, `years=A..B`): checked to
//! run forwards once, then asked of each dated record. With a range, undated records fall
//! outside it; without one, every record counts.

use super::QueryError;

/// An inclusive range of years, or every year (undated records included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange(Option<(i32, i32)>);

impl YearRange {
    /// The range asked for (`None`: every year); refuses one that runs backwards.
    pub fn new(years: Option<(i32, i32)>) -> Result<YearRange, QueryError> {
        if let Some((a, b)) = years {
            if a > b {
                return Err(QueryError::BadParameter(format!(
                    "years must run forwards, got {a}..{b}"
                )));
            }
        }
        Ok(YearRange(years))
    }

    /// Whether a record of `year` counts: always without a range; with one, when it is
    /// dated within it.
    pub fn keeps(self, year: Option<i32>) -> bool {
        match self.0 {
            None => true,
            Some((a, b)) => year.is_some_and(|y| a <= y && y <= b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_keeps_its_dated_records_and_no_range_keeps_all() {
        let range = YearRange::new(Some((2022, 2024))).unwrap();
        assert!(range.keeps(Some(2022)) && range.keeps(Some(2024)));
        assert!(!range.keeps(Some(2021)) && !range.keeps(Some(2025)));
        assert!(!range.keeps(None));
        let every = YearRange::new(None).unwrap();
        assert!(every.keeps(None) && every.keeps(Some(1900)));
        let backwards = YearRange::new(Some((2024, 2020))).unwrap_err().to_string();
        assert!(
            backwards.contains("years must run forwards, got 2024..2020"),
            "{backwards}"
        );
    }
}
