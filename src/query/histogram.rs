//! Equal-width histograms of a centrality column: how a measure is spread over the actors
//! of a kind. Used by the HTML report and by `GET /api/v1/distribution`.

use serde::Serialize;

use super::{CentralityReport, QueryError};

/// Most bins a histogram may have.
pub const MAX_BINS: usize = 200;

/// One bin: values in `[lo, hi)`, the last bin closed (`[lo, hi]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Values in the bin.
    pub count: usize,
}

/// A histogram of the finite values of a column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// The measure.
    pub algo: String,
    /// Values counted (NaN and infinite values are left out).
    pub count: usize,
    /// Smallest value (null when there are none).
    pub min: Option<f64>,
    /// Largest value (null when there are none).
    pub max: Option<f64>,
    /// The bins, ascending; one bin holding everything when all values are equal, none
    /// when there are no values.
    pub bins: Vec<Bin>,
}

/// Bins the finite `values` into `bins` equal-width bins between their minimum and maximum.
pub fn histogram(algo: &str, values: &[f64], bins: usize) -> Result<Histogram, QueryError> {
    if !(1..=MAX_BINS).contains(&bins) {
        return Err(QueryError::BadParameter(format!(
            "bins must be between 1 and {MAX_BINS}"
        )));
    }
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    let (Some(min), Some(max)) = (
        finite.iter().copied().reduce(f64::min),
        finite.iter().copied().reduce(f64::max),
    ) else {
        return Ok(Histogram {
            algo: algo.to_string(),
            count: 0,
            min: None,
            max: None,
            bins: Vec::new(),
        });
    };
    let bins = if max > min { bins } else { 1 };
    let width = (max - min) / bins as f64;
    let mut counts = vec![0usize; bins];
    for &x in &finite {
        let i = if width > 0.0 {
            (((x - min) / width) as usize).min(bins - 1)
        } else {
            0
        };
        counts[i] += 1;
    }
    let edge = |i: usize| {
        if i == bins {
            max
        } else {
            min + width * i as f64
        }
    };
    Ok(Histogram {
        algo: algo.to_string(),
        count: finite.len(),
        min: Some(min),
        max: Some(max),
        bins: counts
            .into_iter()
            .enumerate()
            .map(|(i, count)| Bin {
                lo: edge(i),
                hi: edge(i + 1),
                count,
            })
            .collect(),
    })
}

/// The histogram of column `column` of a report's rows.
pub fn report_histogram(
    report: &CentralityReport,
    column: usize,
    bins: usize,
) -> Result<Histogram, QueryError> {
    let algo = report
        .algos
        .get(column)
        .ok_or_else(|| QueryError::BadParameter(format!("no column {column} in the report")))?;
    let values: Vec<f64> = report.rows.iter().map(|r| r.values[column]).collect();
    histogram(algo.name(), &values, bins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_fall_in_equal_width_bins_with_the_maximum_in_the_last() {
        let h = histogram("degree", &[0.0, 1.0, 2.0, 3.0, 4.0, f64::NAN], 4).unwrap();
        assert_eq!(h.count, 5);
        let counts: Vec<usize> = h.bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 1, 1, 2]);
        assert_eq!((h.bins[0].lo, h.bins[3].hi), (0.0, 4.0));
        assert_eq!(h.bins[1].lo, 1.0);
    }

    #[test]
    fn equal_values_make_one_bin_and_no_values_none() {
        let h = histogram("pagerank", &[0.5, 0.5], 10).unwrap();
        assert_eq!(h.bins.len(), 1);
        assert_eq!(h.bins[0].count, 2);
        let empty = histogram("pagerank", &[f64::NAN], 10).unwrap();
        assert!(empty.bins.is_empty() && empty.min.is_none());
        assert!(histogram("degree", &[1.0], 0).is_err());
        assert!(histogram("degree", &[1.0], MAX_BINS + 1).is_err());
    }
}
